import type { Output } from '../cli/output';
import type { RaisedAlarm } from '../hub/alarm-stream';
import type { IncidentProgress } from './demo-incidents';

/** Why the demo failed: the hub or a step (`failure`), an incident's alarm missing or of the wrong severity; null when it did not. */
export function demoFailure(failure: string | null, incidents: IncidentProgress[]): string | null {
  const now = Date.now();
  const missed = incidents.filter((i) => !i.alarm && i.dueBy !== null && i.dueBy <= now);
  if (!failure && missed.length)
    failure = `no alarm for ${missed.map((i) => `${i.name} (${i.kind}) on bed ${i.bed}`).join(', ')}`;
  const wrongSeverity = incidents.filter((i) => i.alarm && i.alarm.severity !== i.severity);
  if (!failure && wrongSeverity.length)
    failure = wrongSeverity
      .map((i) => `${i.name} raised ${i.alarm!.kind} as ${i.alarm!.severity}, expected ${i.severity}`)
      .join('; ');
  return failure;
}

/** The summary record (the last JSON line of --json). */
export function recordSummary(
  out: Output,
  o: { ok: boolean; failure: string | null; t0: number; alarms: RaisedAlarm[]; incidents: IncidentProgress[] },
): void {
  const { ok, t0, alarms, incidents } = o;
  const failure = o.failure;
  out.record({
    type: 'summary',
    command: 'demo',
    ok,
    reason: failure,
    durationMs: Date.now() - t0,
    alarmsRaised: alarms.length,
    alarms: alarms.map((a) => ({
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      bedId: a.bedId,
      subject: a.subject ?? null,
    })),
    incidents: incidents.map((i) => ({
      name: i.name,
      bed: i.bed,
      bedId: i.bedId,
      expect: { kind: i.kind, severity: i.severity },
      started: i.startedAt !== null,
      alarm: i.alarm ? { id: i.alarm.id, kind: i.alarm.kind, severity: i.alarm.severity } : null,
    })),
  });
}
