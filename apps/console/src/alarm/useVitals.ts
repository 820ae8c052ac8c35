import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Time, VitalsBucket } from '../api/types';
import { toMs } from '../i18n/format';

export const VITALS_WINDOW_MS = 15 * 60_000;

/** Vitals from 15 min before to 15 min after the alarm; `null` data means none to show. */
export function useVitals(bedId: string, raisedAt: Time) {
  const [state, setState] = useState<{ loading: boolean; data: VitalsBucket[] | null }>({ loading: true, data: null });
  const at = toMs(raisedAt);
  useEffect(() => {
    if (!Number.isFinite(at)) return setState({ loading: false, data: null });
    const ctrl = new AbortController();
    setState({ loading: true, data: null });
    endpoints
      .vitals(bedId, new Date(at - VITALS_WINDOW_MS), new Date(at + VITALS_WINDOW_MS), ctrl.signal)
      .then((data) => setState({ loading: false, data: data.length ? data : null }))
      .catch(() => !ctrl.signal.aborted && setState({ loading: false, data: null }));
    return () => ctrl.abort();
  }, [bedId, at]);
  return state;
}
