import type { Alarm } from '../api/types';

/** What the hub answered for the open alarms of one district. */
export interface DistrictMembers {
  alarmIds: ReadonlySet<string>;
  householdIds: ReadonlySet<string>;
}

export function districtMembers(answer: readonly Pick<Alarm, 'id' | 'householdId'>[]): DistrictMembers {
  return {
    alarmIds: new Set(answer.map((a) => a.id)),
    householdIds: new Set(answer.flatMap((a) => (a.householdId ? [a.householdId] : []))),
  };
}

/** In the district when the hub listed it there, or when it comes from a household the hub placed there. */
export function inDistrict(a: Pick<Alarm, 'id' | 'householdId'>, m: DistrictMembers): boolean {
  return m.alarmIds.has(a.id) || (!!a.householdId && m.householdIds.has(a.householdId));
}

/**
 * Alarms of the queue the last answer cannot place: arrived on the stream since, from a household
 * not yet seen in the district. Each is asked about once (`asked`), so an alarm of another district
 * does not make the console ask again and again.
 */
export function unplaced(
  alarms: readonly Pick<Alarm, 'id' | 'householdId'>[],
  m: DistrictMembers,
  asked: ReadonlySet<string>,
): string[] {
  return alarms.filter((a) => !asked.has(a.id) && !inDistrict(a, m)).map((a) => a.id);
}
