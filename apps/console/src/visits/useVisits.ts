import { useCallback, useEffect, useState } from 'react';
import { supervisionApi, type Visit, type VisitFilter } from '../api/supervision';

/** How often the planner list is read again: the hub plans and flags visits on its own timer. */
const REFRESH_MS = 15_000;

export function useVisits(filter: VisitFilter) {
  const [visits, setVisits] = useState<Visit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(filter);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    supervisionApi
      .visits(JSON.parse(key) as VisitFilter, ctrl.signal)
      .then((v) => {
        setVisits(v);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(err);
      });
    const timer = setTimeout(reload, REFRESH_MS);
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [key, tick, reload]);

  return { visits, error, reload };
}
