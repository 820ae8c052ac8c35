import { toMs } from '../i18n/format';
import type { Alarm, Severity } from '../api/types';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** Held until a return time: parked below the alarms waiting for someone. */
export const isHeld = (a: Alarm): boolean => a.heldUntil !== null && a.heldUntil !== undefined;

/**
 * Held alarms last; then severity (critical > major > minor > warning), then the higher escalation
 * level (an alarm back from hold or unanswered comes first among its peers), then oldest; id keeps
 * it stable. Same order as the hub's queue.
 */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    Number(isHeld(a)) - Number(isHeld(b)) ||
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    (b.escalationLevel ?? 0) - (a.escalationLevel ?? 0) ||
    toMs(a.raisedAt) - toMs(b.raisedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function sortAlarms(alarms: Iterable<Alarm>): Alarm[] {
  return [...alarms].sort(compareAlarms);
}
