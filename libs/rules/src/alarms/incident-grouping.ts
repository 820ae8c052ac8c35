import { maxSeverity, type Severity } from '../model/severity';

export interface GroupableAlarm {
  id: string;
  bedId: string;
  raisedAt: number;
  severity: Severity;
}

export interface Incident {
  /** Id of the first alarm: stable as later alarms join. */
  id: string;
  bedId: string;
  alarmIds: string[];
  startedAt: number;
  lastRaisedAt: number;
  severity: Severity;
}

export const DEFAULT_INCIDENT_GAP_MS = 10 * 60_000;

/**
 * Groups alarms per bed into incidents: an alarm joins the bed's latest incident when raised within
 * `gapMs` of the previous alarm in it (chaining, so a fall, then no movement, then a heart-rate alarm
 * are one story). Returns incidents ordered by start.
 */
export function groupIntoIncidents<T extends GroupableAlarm>(
  alarms: readonly T[],
  gapMs: number = DEFAULT_INCIDENT_GAP_MS,
): Incident[] {
  const sorted = [...alarms].sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
  const open = new Map<string, Incident>();
  const incidents: Incident[] = [];
  for (const alarm of sorted) {
    const current = open.get(alarm.bedId);
    if (current && alarm.raisedAt - current.lastRaisedAt <= gapMs) {
      current.alarmIds.push(alarm.id);
      current.lastRaisedAt = alarm.raisedAt;
      current.severity = maxSeverity(current.severity, alarm.severity);
      continue;
    }
    const incident: Incident = {
      id: alarm.id,
      bedId: alarm.bedId,
      alarmIds: [alarm.id],
      startedAt: alarm.raisedAt,
      lastRaisedAt: alarm.raisedAt,
      severity: alarm.severity,
    };
    open.set(alarm.bedId, incident);
    incidents.push(incident);
  }
  return incidents;
}
