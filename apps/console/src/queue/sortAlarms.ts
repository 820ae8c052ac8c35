import { toMs } from '../i18n/format';
import type { Alarm, Severity } from '../api/types';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** Severity first (critical > major > minor > warning), then oldest first; id keeps it stable. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    toMs(a.raisedAt) - toMs(b.raisedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function sortAlarms(alarms: Iterable<Alarm>): Alarm[] {
  return [...alarms].sort(compareAlarms);
}
