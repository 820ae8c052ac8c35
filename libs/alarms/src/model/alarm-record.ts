import type { ActionDetails, Alarm, AlarmAuditEntry } from '@bedside/rules';

/** The rules library's Alarm plus what the hub stores beside it. */
export interface AlarmRecord extends Alarm {
  organisationId: string;
  startedAt: number;
  incidentId: string;
  suppressed: boolean;
  reason: string;
  message: string;
  details: ActionDetails;
  nextEscalationAt: number | null;
}

export const ALARM_EVENT_TYPES = [
  'alarm.raised',
  'alarm.updated',
  'alarm.escalated',
  'alarm.acknowledged',
  'alarm.cleared',
  'alarm.resolved',
  // A work order on the alarm passed its due time (once per dispatch and awaited step).
  'alarm.dispatch_overdue',
] as const;
export type AlarmEventType = (typeof ALARM_EVENT_TYPES)[number];

/** What REST and the stream show: ISO times, `state` instead of the library's `status`, no audit array. */
export interface AlarmView {
  id: string;
  organisationId: string;
  bedId: string;
  subject: string | null;
  kind: string;
  severity: string;
  state: string;
  cleared: boolean;
  clearedAt: string | null;
  cancelledByResidentAt: string | null;
  repeatCount: number;
  startedAt: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  outcome: string | null;
  escalationLevel: number;
  lastEscalatedAt: string | null;
  nextEscalationAt: string | null;
  incidentId: string;
  suppressed: boolean;
  reason: string;
  message: string;
  details: ActionDetails;
  key: string;
  /** Set while an operator holds the alarm: it alerts again at `heldUntil`. */
  heldSince: string | null;
  heldUntil: string | null;
  holdReason: string | null;
  heldBy: string | null;
  holdEscalates: boolean | null;
}

export interface AuditView {
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string;
  note: string | null;
  /** A server-written note as a code with parameters (the console words it); null for free text. */
  code: string | null;
  params: Record<string, string | number | boolean> | null;
}

/** One entry of the stream (and of alarm_events): `id` is the SSE event id. */
/** A stream event not yet in alarm_events: a transaction appends its drafts last, in one statement (AlarmCommitter.transaction). */
export interface EventDraft {
  type: AlarmEventType;
  alarm: AlarmRecord;
  at: number;
}

export interface AlarmStreamEvent {
  id: number;
  type: AlarmEventType;
  alarm: AlarmView;
  at: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toAlarmView(a: AlarmRecord): AlarmView {
  return {
    id: a.id,
    organisationId: a.organisationId,
    bedId: a.bedId,
    subject: a.subject,
    kind: a.kind,
    severity: a.severity,
    state: a.status,
    cleared: a.cleared,
    clearedAt: iso(a.clearedAt),
    cancelledByResidentAt: iso(a.cancelledByResidentAt),
    repeatCount: a.repeatCount,
    startedAt: iso(a.startedAt)!,
    raisedAt: iso(a.raisedAt)!,
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: iso(a.resolvedAt),
    resolvedBy: a.resolvedBy,
    outcome: a.outcome,
    escalationLevel: a.escalationLevel,
    lastEscalatedAt: iso(a.lastEscalatedAt),
    nextEscalationAt: iso(a.nextEscalationAt),
    incidentId: a.incidentId,
    suppressed: a.suppressed,
    reason: a.reason,
    message: a.message,
    details: a.details,
    key: a.key,
    heldSince: iso(a.hold?.since ?? null),
    heldUntil: iso(a.hold?.until ?? null),
    holdReason: a.hold?.reason ?? null,
    heldBy: a.hold?.by ?? null,
    holdEscalates: a.hold ? a.hold.escalates : null,
  };
}

export function toAuditView(e: AlarmAuditEntry): AuditView {
  return {
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    from: e.from,
    to: e.to,
    note: e.note,
    code: e.code ?? null,
    params: e.code === undefined ? null : (e.params ?? {}),
  };
}
