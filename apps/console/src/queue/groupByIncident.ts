import type { Alarm } from '../api/types';
import { compareAlarms } from './sortAlarms';

export interface QueueEntry {
  alarm: Alarm;
  /** Alarms of its incident in the list (1 when alone). */
  incidentSize: number;
  /** First of its incident: the row that carries the incident marker. */
  incidentLead: boolean;
}

/**
 * Keeps the alarms of one incident (a bed's alarms close in time) together: incidents are
 * ordered by their most urgent alarm, and inside one by the same order.
 */
export function groupByIncident(alarms: readonly Alarm[]): QueueEntry[] {
  const groups = new Map<string, Alarm[]>();
  for (const a of [...alarms].sort(compareAlarms)) {
    const key = a.incidentId ?? a.id;
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }
  return [...groups.values()].flatMap((g) =>
    g.map((alarm, i) => ({ alarm, incidentSize: g.length, incidentLead: i === 0 })),
  );
}
