import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Bed, Household, Resident } from '../api/types';

export interface RegistryChoices {
  households: Household[];
  residents: Resident[];
  beds: Bed[];
}

const EMPTY: RegistryChoices = { households: [], residents: [], beds: [] };
const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));

/**
 * The households of the operator's organisation, and the residents and beds to choose from: those of
 * the chosen household, or every resident when none is chosen (beds only within a household: a bed
 * label such as "主卧床" means nothing without its home).
 */
export function useRegistryChoices(householdId: string): RegistryChoices {
  const [households, setHouseholds] = useState<Household[]>([]);
  const [within, setWithin] = useState<Pick<RegistryChoices, 'residents' | 'beds'>>(EMPTY);

  useEffect(() => {
    const ctrl = new AbortController();
    api.get<Household[]>('/api/households', ctrl.signal).then(
      (hs) => setHouseholds(byName(hs)),
      () => undefined, // the filter stays usable by words and dates
    );
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    const q = householdId ? `?householdId=${encodeURIComponent(householdId)}` : '';
    Promise.all([
      api.get<Resident[]>(`/api/residents${q}`, ctrl.signal),
      householdId ? api.get<Bed[]>(`/api/beds${q}`, ctrl.signal) : Promise.resolve([]),
    ]).then(
      ([residents, beds]) => setWithin({ residents: byName(residents), beds }),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [householdId]);

  return { households, ...within };
}
