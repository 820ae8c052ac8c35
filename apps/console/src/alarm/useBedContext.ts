import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Bed, Household, Resident } from '../api/types';

export interface BedContext {
  bed: Bed | null;
  resident: Resident | null;
  household: Household | null;
  error: unknown;
  loading: boolean;
}

/** The bed, its resident and household, for the resident card and contacts. */
export function useBedContext(bedId: string | undefined): BedContext {
  const [state, setState] = useState<BedContext>({
    bed: null,
    resident: null,
    household: null,
    error: null,
    loading: true,
  });
  useEffect(() => {
    if (!bedId) return;
    const ctrl = new AbortController();
    void (async () => {
      try {
        const bed = await endpoints.bed(bedId, ctrl.signal);
        const [resident, household] = await Promise.all([
          bed.residentId ? endpoints.resident(bed.residentId, ctrl.signal).catch(() => null) : null,
          bed.householdId ? endpoints.household(bed.householdId, ctrl.signal).catch(() => null) : null,
        ]);
        setState({ bed, resident, household, error: null, loading: false });
      } catch (error) {
        if (!ctrl.signal.aborted) setState((s) => ({ ...s, error, loading: false }));
      }
    })();
    return () => ctrl.abort();
  }, [bedId]);
  return state;
}
