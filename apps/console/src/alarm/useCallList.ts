import { useCallback, useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { CallList } from '../api/types';

/** The alarm's action plan and call list; reload after a call or a dispatch. */
export function useCallList(alarmId: string, version: number) {
  const [list, setList] = useState<CallList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    endpoints.callList(alarmId, ctrl.signal).then(
      (l) => {
        setList(l);
        setError(null);
      },
      (err: unknown) => !ctrl.signal.aborted && setError(err),
    );
    return () => ctrl.abort();
  }, [alarmId, version, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { list, error, reload };
}
