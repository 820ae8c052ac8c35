import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Household, Resident } from '../api/types';

/** A bed as the list answers it (no devices). */
export type BedChoice = Awaited<ReturnType<typeof endpoints.beds>>[number];

export interface RegistryChoices {
  households: Household[];
  residents: Resident[];
  beds: BedChoice[];
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
    endpoints.households(ctrl.signal).then(
      (hs) => setHouseholds(byName(hs)),
      () => undefined, // the filter stays usable by words and dates
    );
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    Promise.all([
      endpoints.residents(householdId || undefined, ctrl.signal),
      householdId ? endpoints.beds(householdId, ctrl.signal) : Promise.resolve([]),
    ]).then(
      ([residents, beds]) => setWithin({ residents: byName(residents), beds }),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [householdId]);

  return { households, ...within };
}
