import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Kpis } from '../api/types';

export type KpiRange = 'today' | '24h' | '7d' | '30d';
export const KPI_RANGES: KpiRange[] = ['today', '24h', '7d', '30d'];

export function rangeBounds(range: KpiRange, now = new Date()): { from: Date; to: Date } {
  const to = now;
  if (range === 'today') {
    const from = new Date(now);
    from.setHours(0, 0, 0, 0);
    return { from, to };
  }
  const hours = range === '24h' ? 24 : range === '7d' ? 24 * 7 : 24 * 30;
  return { from: new Date(now.getTime() - hours * 3_600_000), to };
}

/** KPIs for the range, refreshed every 30 s. */
export function useKpis(range: KpiRange) {
  const [state, setState] = useState<{ kpis: Kpis | null; error: unknown; loading: boolean }>({
    kpis: null,
    error: null,
    loading: true,
  });
  useEffect(() => {
    const ctrl = new AbortController();
    const load = async () => {
      const { from, to } = rangeBounds(range);
      try {
        const kpis = await endpoints.kpis(from, to, ctrl.signal);
        setState({ kpis, error: null, loading: false });
      } catch (error) {
        if (ctrl.signal.aborted) return;
        setState((s) => ({ ...s, error, loading: false }));
      }
    };
    setState((s) => ({ ...s, loading: true }));
    void load();
    const t = setInterval(() => void load(), 30_000);
    return () => {
      ctrl.abort();
      clearInterval(t);
    };
  }, [range]);
  return state;
}
