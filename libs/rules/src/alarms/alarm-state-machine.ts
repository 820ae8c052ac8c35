import type { RaiseAction, RuleAction } from '../model/rule-action';
import type { RuleKind } from '../model/rule-kind';
import { compareSeverity, maxSeverity, type Severity } from '../model/severity';
import { AlarmDomainError } from './alarm-errors';

export type AlarmStatus = 'raised' | 'acknowledged' | 'resolved';

/** Outcomes an operator may choose. */
export const ALARM_OUTCOMES = [
  'real_emergency',
  'assisted',
  'false_alarm',
  'test',
  'cancelled_by_resident',
  'device_fault',
] as const;
export type OperatorOutcome = (typeof ALARM_OUTCOMES)[number];
/** `auto_resolved` is set only by the system, for non-critical alarms that cleared before anyone acknowledged them. */
export type AlarmOutcome = OperatorOutcome | 'auto_resolved';

export type AlarmAuditAction =
  | 'raise'
  | 'acknowledge'
  | 'resolve'
  | 'clear'
  | 'update'
  | 'resident_cancel'
  | 'escalate'
  | 'hold'
  | 'hold_end'
  | 'hold_return'
  | 'hold_escalation_stop';

/** Parameters of a coded note: plain values a console can put into its own wording. */
export type NoteParams = Record<string, string | number | boolean>;

/** Append-only, one per transition or notable change. from === to for changes that keep the status. */
export interface AlarmAuditEntry {
  at: number;
  actor: string;
  action: AlarmAuditAction;
  from: AlarmStatus | null;
  to: AlarmStatus;
  note: string | null;
  /**
   * What the note says as a stable code with parameters, so a console words it in its own language;
   * `note` keeps the English rendering. Absent for free text and for notes written before codes.
   */
  code?: string;
  params?: NoteParams;
}

/** An operator parked the alarm until a return time (waiting for a call back, a visit under way). */
export interface AlarmHold {
  since: number;
  until: number;
  reason: string;
  by: string;
  /** Whether unacknowledged escalation keeps running while held: critical alarms only, unless a supervisor stopped it. */
  escalates: boolean;
}

/** The longest hold: an alarm must come back within a shift. */
export const MAX_HOLD_MS = 12 * 3_600_000;

export interface Alarm {
  id: string;
  bedId: string;
  kind: RuleKind;
  subject: string | null;
  /** The rule episode key; the store's unique constraint on it makes raising idempotent. */
  key: string;
  severity: Severity;
  status: AlarmStatus;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  outcome: AlarmOutcome | null;
  cleared: boolean;
  clearedAt: number | null;
  cancelledByResidentAt: number | null;
  repeatCount: number;
  /** 0 until the first escalation; doubles as queue priority. */
  escalationLevel: number;
  lastEscalatedAt: number | null;
  /** Set while held; absent or null otherwise. */
  hold?: AlarmHold | null;
  audit: AlarmAuditEntry[];
}

export interface EscalationPolicy {
  /** First escalation when still unacknowledged this long after raising. */
  escalateAfterMs: number;
  /** Then again every this often until acknowledged. */
  repeatEveryMs: number;
}

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = Object.freeze({
  escalateAfterMs: 60_000,
  repeatEveryMs: 60_000,
});

export interface AutoResolvePolicy {
  /**
   * Severities that resolve by themselves when cleared while still unacknowledged. Default minor and
   * warning only (offline blips, battery recharged): a critical alarm always needs a human, and a major
   * one (e.g. tachycardia that settled) deserves a look before it leaves the queue.
   */
  severities: Severity[];
  /** Wait this long after clearing first, so a flapping condition does not churn the queue. */
  afterMs: number;
}

export const DEFAULT_AUTO_RESOLVE_POLICY: AutoResolvePolicy = Object.freeze({
  severities: ['minor', 'warning'] as Severity[],
  afterMs: 0,
});

export const SYSTEM_ACTOR = 'system';

interface Stamp {
  at: number;
  actor?: string;
  note?: string;
  code?: string;
  params?: NoteParams;
}

export function raiseAlarm(params: {
  id: string;
  bedId: string;
  kind: RuleKind;
  subject?: string | null;
  key: string;
  severity: Severity;
  at: number;
  actor?: string;
  note?: string;
  code?: string;
  params?: NoteParams;
}): Alarm {
  return {
    id: params.id,
    bedId: params.bedId,
    kind: params.kind,
    subject: params.subject ?? null,
    key: params.key,
    severity: params.severity,
    status: 'raised',
    raisedAt: params.at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    outcome: null,
    cleared: false,
    clearedAt: null,
    cancelledByResidentAt: null,
    repeatCount: 0,
    escalationLevel: 0,
    lastEscalatedAt: null,
    hold: null,
    audit: [
      entry(
        {
          at: params.at,
          actor: params.actor ?? SYSTEM_ACTOR,
          note: params.note,
          code: params.code,
          params: params.params,
        },
        'raise',
        null,
        'raised',
      ),
    ],
  };
}

export function acknowledgeAlarm(alarm: Alarm, stamp: Stamp & { actor: string }): Alarm {
  expectStatus(alarm, ['raised'], 'acknowledge', stamp.at);
  return append(
    { ...alarm, status: 'acknowledged', acknowledgedAt: stamp.at, acknowledgedBy: stamp.actor },
    stamp,
    'acknowledge',
    'raised',
  );
}

/** An operator closes an acknowledged alarm. Resolving needs an acknowledgement first (KPIs measure it). */
export function resolveAlarm(alarm: Alarm, stamp: Stamp & { actor: string; outcome: OperatorOutcome }): Alarm {
  if (!(ALARM_OUTCOMES as readonly string[]).includes(stamp.outcome)) {
    throw new AlarmDomainError(
      'ALARM_INVALID_OUTCOME',
      `unknown outcome ${JSON.stringify(stamp.outcome)}; expected one of ${ALARM_OUTCOMES.join(', ')}`,
    );
  }
  expectStatus(alarm, ['acknowledged'], 'resolve', stamp.at);
  return append(
    { ...alarm, status: 'resolved', resolvedAt: stamp.at, resolvedBy: stamp.actor, outcome: stamp.outcome, hold: null },
    stamp,
    'resolve',
    'acknowledged',
  );
}

/**
 * The condition cleared on its own: flag it, keep the status (a critical alarm still needs a human).
 * A clear arriving after resolution is a normal race, not an error: it is ignored.
 */
export function markAlarmCleared(alarm: Alarm, stamp: Stamp): Alarm {
  if (alarm.status === 'resolved' || alarm.cleared) return alarm;
  checkTime(alarm, stamp.at);
  return append({ ...alarm, cleared: true, clearedAt: stamp.at }, stamp, 'clear', alarm.status);
}

/** A repeat of the same episode (second SOS press, new fall): counted, severity may only go up. */
export function recordAlarmRepeat(alarm: Alarm, stamp: Stamp & { severity?: Severity; repeatCount?: number }): Alarm {
  expectStatus(alarm, ['raised', 'acknowledged'], 'repeat', stamp.at);
  const severity = stamp.severity ? maxSeverity(alarm.severity, stamp.severity) : alarm.severity;
  const repeatCount = Math.max(stamp.repeatCount ?? alarm.repeatCount + 1, alarm.repeatCount);
  const raisedSeverity = severity !== alarm.severity;
  const note = stamp.note ?? (raisedSeverity ? `severity ${alarm.severity} -> ${severity}` : undefined);
  const coded =
    stamp.note === undefined && raisedSeverity
      ? { code: 'severity_raised', params: { from: alarm.severity, to: severity } }
      : stamp.code !== undefined
        ? { code: stamp.code, params: stamp.params }
        : {};
  return append({ ...alarm, severity, repeatCount }, { ...stamp, note, ...coded }, 'update', alarm.status);
}

/** The resident cancelled on the device: recorded; the alarm stays open for the operator. Ignored once resolved. */
export function recordResidentCancel(alarm: Alarm, stamp: Stamp): Alarm {
  if (alarm.status === 'resolved') return alarm;
  checkTime(alarm, stamp.at);
  return append(
    { ...alarm, cancelledByResidentAt: stamp.at },
    { ...stamp, actor: stamp.actor ?? 'device' },
    'resident_cancel',
    alarm.status,
  );
}

/**
 * When the next escalation is due, or null when the alarm is no longer waiting for acknowledgement
 * or is held without escalation (its return time brings it back instead).
 */
export function nextEscalationAt(alarm: Alarm, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): number | null {
  if (alarm.status !== 'raised') return null;
  if (alarm.hold && !alarm.hold.escalates) return null;
  return alarm.raisedAt + policy.escalateAfterMs + alarm.escalationLevel * policy.repeatEveryMs;
}

/**
 * Escalates if due at `now`. After a pause (e.g. a restart) it jumps straight to the level the elapsed
 * time implies, with one audit entry, instead of replaying every missed reminder.
 */
export function escalateIfDue(
  alarm: Alarm,
  now: number,
  policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY,
): { alarm: Alarm; escalated: boolean } {
  const due = nextEscalationAt(alarm, policy);
  if (due === null || now < due) return { alarm, escalated: false };
  const level = 1 + Math.floor((now - alarm.raisedAt - policy.escalateAfterMs) / policy.repeatEveryMs);
  const next = append(
    { ...alarm, escalationLevel: level, lastEscalatedAt: now },
    { at: now, note: `unacknowledged, escalation level ${level}`, code: 'escalated', params: { level } },
    'escalate',
    'raised',
  );
  return { alarm: next, escalated: true };
}

/** Resolves a cleared, unacknowledged alarm of an auto-resolvable severity once `afterMs` has passed. */
export function autoResolveIfDue(
  alarm: Alarm,
  now: number,
  policy: AutoResolvePolicy = DEFAULT_AUTO_RESOLVE_POLICY,
): { alarm: Alarm; resolved: boolean } {
  const eligible =
    alarm.status === 'raised' &&
    alarm.cleared &&
    alarm.clearedAt !== null &&
    policy.severities.includes(alarm.severity);
  if (!eligible || now < alarm.clearedAt! + policy.afterMs) return { alarm, resolved: false };
  const next = append(
    { ...alarm, status: 'resolved', resolvedAt: now, resolvedBy: SYSTEM_ACTOR, outcome: 'auto_resolved', hold: null },
    { at: now, note: 'cleared before acknowledgement', code: 'cleared_before_ack' },
    'resolve',
    'raised',
  );
  return { alarm: next, resolved: true };
}

/**
 * Applies a rule action to the open alarm of its episode. `raise` needs no alarm (pass null) and an id;
 * the others need the alarm the key points to. Suppressed actions should be recorded, not applied.
 */
export function applyRuleAction(alarm: Alarm | null, action: RuleAction, newId?: string): Alarm {
  if (action.type === 'raise') {
    if (alarm) return alarm; // replay of a raise already applied
    return raiseFromAction(action, newId ?? action.key);
  }
  if (!alarm) throw new AlarmDomainError('ALARM_INVALID_TRANSITION', `no alarm for ${action.type} of ${action.key}`);
  switch (action.type) {
    case 'update':
      if (alarm.status === 'resolved') return alarm;
      return recordAlarmRepeat(alarm, {
        at: action.at,
        severity: action.severity,
        repeatCount: Math.max(action.repeatCount, alarm.repeatCount),
        note: action.message,
        ...ruleCode(action),
      });
    case 'clear':
      return markAlarmCleared(alarm, { at: action.at, note: action.message, ...ruleCode(action) });
    case 'cancelled':
      return recordResidentCancel(alarm, {
        at: action.at,
        actor: action.subject ? `device:${action.subject}` : 'device',
        note: action.message,
        ...ruleCode(action),
      });
    case 'ignored':
      return alarm; // journal only
  }
}

function raiseFromAction(action: RaiseAction, id: string): Alarm {
  return raiseAlarm({
    id,
    bedId: action.bedId,
    kind: action.kind,
    subject: action.subject,
    key: action.key,
    severity: action.severity,
    at: action.at,
    note: action.message,
    ...ruleCode(action),
  });
}

/**
 * A rule's note as a code: `rule.<reason>` with the action's details (nulls left out), so a console
 * words it like the alarm's own reason; `message` stays as the English text.
 */
function ruleCode(action: RuleAction): { code: string; params: NoteParams } {
  const params: NoteParams = {};
  for (const [k, v] of Object.entries(action.details)) if (v !== null) params[k] = v;
  return { code: `rule.${action.reason}`, params };
}

function expectStatus(alarm: Alarm, allowed: AlarmStatus[], what: string, at: number): void {
  if (!allowed.includes(alarm.status)) {
    throw new AlarmDomainError(
      'ALARM_INVALID_TRANSITION',
      `cannot ${what} alarm ${alarm.id} in status ${alarm.status}`,
    );
  }
  checkTime(alarm, at);
}

/** The audit trail is in time order; an earlier timestamp means a clock or ordering bug upstream. */
function checkTime(alarm: Alarm, at: number): void {
  const last = alarm.audit[alarm.audit.length - 1];
  if (last && at < last.at)
    throw new AlarmDomainError(
      'ALARM_TIME_REVERSED',
      `alarm ${alarm.id}: ${at} is before the last audit entry at ${last.at}`,
    );
}

function append(next: Alarm, stamp: Stamp, action: AlarmAuditAction, from: AlarmStatus): Alarm {
  return { ...next, audit: [...next.audit, entry(stamp, action, from, next.status)] };
}

function entry(stamp: Stamp, action: AlarmAuditAction, from: AlarmStatus | null, to: AlarmStatus): AlarmAuditEntry {
  const e: AlarmAuditEntry = {
    at: stamp.at,
    actor: stamp.actor ?? SYSTEM_ACTOR,
    action,
    from,
    to,
    note: stamp.note ?? null,
  };
  if (stamp.code !== undefined) {
    e.code = stamp.code;
    e.params = stamp.params ?? {};
  }
  return e;
}

/**
 * Parks an open alarm until `until` with a reason. Unacknowledged escalation keeps running for a
 * held critical alarm (a resident on the floor does not wait for a call back) unless a supervisor
 * stops it (`stopEscalation`, refused for anyone else); other severities wait for the return.
 * Holding a held alarm replaces its hold.
 */
export function holdAlarm(
  alarm: Alarm,
  stamp: Stamp & { actor: string; until: number; reason: string; stopEscalation?: boolean; supervisor: boolean },
): Alarm {
  expectStatus(alarm, ['raised', 'acknowledged'], 'hold', stamp.at);
  const reason = stamp.reason.trim();
  if (!reason) throw new AlarmDomainError('ALARM_INVALID_HOLD', 'a hold needs a reason');
  if (!(stamp.until > stamp.at) || stamp.until - stamp.at > MAX_HOLD_MS) {
    throw new AlarmDomainError(
      'ALARM_INVALID_HOLD',
      `the return time must be after now and within ${MAX_HOLD_MS / 3_600_000} h`,
    );
  }
  if (stamp.stopEscalation && !stamp.supervisor) {
    throw new AlarmDomainError('ALARM_INVALID_HOLD', 'only a supervisor may stop escalation of a held alarm');
  }
  const escalates = alarm.severity === 'critical' && !stamp.stopEscalation;
  const untilIso = new Date(stamp.until).toISOString();
  return append(
    { ...alarm, hold: { since: stamp.at, until: stamp.until, reason, by: stamp.actor, escalates } },
    {
      at: stamp.at,
      actor: stamp.actor,
      note: `held until ${untilIso}: ${reason}${escalates ? ' (escalation continues)' : ''}`,
      code: 'held',
      params: { until: untilIso, reason, escalates },
    },
    'hold',
    alarm.status,
  );
}

/**
 * A supervisor stops the unacknowledged escalation of a held alarm until it returns (the family is
 * already on its way, say), with a reason on the timeline. The hold's return time is kept, so the
 * alarm still comes back then one level higher.
 */
export function stopHoldEscalation(
  alarm: Alarm,
  stamp: Stamp & { actor: string; reason: string; supervisor: boolean },
): Alarm {
  expectStatus(alarm, ['raised', 'acknowledged'], 'stop the escalation of', stamp.at);
  if (!alarm.hold?.escalates) {
    throw new AlarmDomainError('ALARM_INVALID_TRANSITION', `alarm ${alarm.id} is not held with escalation running`);
  }
  if (!stamp.supervisor) {
    throw new AlarmDomainError('ALARM_INVALID_HOLD', 'only a supervisor may stop escalation of a held alarm');
  }
  const reason = stamp.reason.trim();
  if (!reason) throw new AlarmDomainError('ALARM_INVALID_HOLD', 'stopping escalation needs a reason');
  return append(
    { ...alarm, hold: { ...alarm.hold, escalates: false } },
    {
      at: stamp.at,
      actor: stamp.actor,
      note: `escalation stopped while held: ${reason}`,
      code: 'hold_escalation_stopped',
      params: { reason },
    },
    'hold_escalation_stop',
    alarm.status,
  );
}

/** An operator takes the alarm back before its return time. */
export function endHold(alarm: Alarm, stamp: Stamp & { actor: string }): Alarm {
  if (!alarm.hold) throw new AlarmDomainError('ALARM_INVALID_TRANSITION', `alarm ${alarm.id} is not held`);
  expectStatus(alarm, ['raised', 'acknowledged'], 'end the hold of', stamp.at);
  return append(
    { ...alarm, hold: null },
    { at: stamp.at, actor: stamp.actor, note: 'hold ended', code: 'hold_ended' },
    'hold_end',
    alarm.status,
  );
}

/**
 * At its return time a held alarm alerts again one priority level higher (queue position and the
 * console's sound follow escalationLevel). Unchanged before the return time or when not held.
 */
export function returnFromHoldIfDue(alarm: Alarm, now: number): { alarm: Alarm; returned: boolean } {
  const hold = alarm.hold;
  if (!hold || now < hold.until || alarm.status === 'resolved') return { alarm, returned: false };
  const at = Math.max(now, alarm.audit.at(-1)?.at ?? now);
  const level = alarm.escalationLevel + 1;
  const next = append(
    { ...alarm, hold: null, escalationLevel: level, lastEscalatedAt: at },
    {
      at,
      note: `hold ended at its return time (${hold.reason}); priority level ${level}`,
      code: 'hold_returned',
      params: { reason: hold.reason, level },
    },
    'hold_return',
    alarm.status,
  );
  return { alarm: next, returned: true };
}

/** Queue order: most severe first, then highest escalation, then oldest. */
export function compareAlarmsForQueue(a: Alarm, b: Alarm): number {
  return compareSeverity(b.severity, a.severity) || b.escalationLevel - a.escalationLevel || a.raisedAt - b.raisedAt;
}
