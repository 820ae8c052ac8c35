import type { Alarm } from '../api/types';

export interface QueueFilter {
  severity: string;
  kind: string;
  state: string;
  search: string;
  /** A district id; the hub places alarms in districts (useDistrictFilter), not this function. */
  district: string;
}

export const NO_FILTER: QueueFilter = { severity: '', kind: '', state: '', search: '', district: '' };

const norm = (s: string) => s.trim().toLocaleLowerCase();

/** Empty fields match everything; the search looks at resident, household, address and bed. */
export function filterAlarms(alarms: readonly Alarm[], f: QueueFilter): Alarm[] {
  const words = norm(f.search).split(/\s+/).filter(Boolean);
  return alarms.filter((a) => {
    if (f.severity && a.severity !== f.severity) return false;
    if (f.kind && a.kind !== f.kind) return false;
    if (f.state && a.state !== f.state) return false;
    if (words.length === 0) return true;
    const text = norm([a.residentName, a.householdName, a.address, a.bedLabel].filter(Boolean).join(' '));
    return words.every((w) => text.includes(w));
  });
}
