import type { AlarmView } from './alarm-record';

/** Who and where an alarm is about, so an operator can triage without opening it. */
export interface AlarmContext {
  bedLabel: string | null;
  residentName: string | null;
  householdId: string | null;
  householdName: string | null;
  address: string | null;
  /** The household's IANA zone: the resident's local time. */
  timeZone: string | null;
}

/** An alarm as the console lists and streams it: the alarm, its context and display names of its actors. */
export interface ContextualAlarmView extends AlarmView, AlarmContext {
  acknowledgedByName: string | null;
  resolvedByName: string | null;
}

export const NO_CONTEXT: AlarmContext = {
  bedLabel: null,
  residentName: null,
  householdId: null,
  householdName: null,
  address: null,
  timeZone: null,
};

export function withContext(
  alarm: AlarmView,
  context: AlarmContext | undefined,
  names: ReadonlyMap<string, string>,
): ContextualAlarmView {
  return {
    ...alarm,
    ...(context ?? NO_CONTEXT),
    acknowledgedByName: alarm.acknowledgedBy ? (names.get(alarm.acknowledgedBy) ?? null) : null,
    resolvedByName: alarm.resolvedBy ? (names.get(alarm.resolvedBy) ?? null) : null,
  };
}
