import type { components } from './schema';

type Schemas = components['schemas'];

/**
 * Wire types of the hub's REST API as the console uses them: generated from the hub's OpenAPI
 * document (schema.d.ts) where it describes the response, written here where it does not yet.
 * Times arrive as ISO strings or epoch ms.
 */
export type Time = string | number;

export type Role = 'admin' | 'supervisor' | 'operator' | 'installer';
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
}
export interface LoginResponse {
  token: string;
  expiresAt: Time;
  user: User;
}

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type AlarmState = 'raised' | 'acknowledged' | 'resolved';

export const OUTCOMES = [
  'real_emergency',
  'assisted',
  'false_alarm',
  'test',
  'cancelled_by_resident',
  'device_fault',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** An alarm with who and where it is about, as the list, the stream and the detail show it. */
export type Alarm = Schemas['ContextualAlarmViewDto'];
/** A row of the alarm list: the alarm with its household's district and street. */
export type QueueAlarm = Schemas['QueueAlarmViewDto'];
export type TimelineEntry = Schemas['AuditViewDto'];
/** One alarm with its timeline, as GET /api/alarms/{id} and every operator action answer it. */
export type AlarmDetail = Schemas['AlarmDetailDto'];

export const RESPONDER_TYPES = ['keyholder', 'community_worker', 'ambulance'] as const;
export type ResponderType = (typeof RESPONDER_TYPES)[number];
export const DISPATCH_STATUSES = ['dispatched', 'en_route', 'on_site', 'closed'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];
/** A status a dispatch can move to (it starts as `dispatched`). */
export type DispatchStep = Exclude<DispatchStatus, 'dispatched'>;

export interface Dispatch {
  id: string;
  responderType: ResponderType;
  responderName: string;
  status: DispatchStatus;
  note?: string | null;
  createdAt?: Time;
  dispatchedAt?: Time;
  updatedAt?: Time;
}

export interface DeviceStatus {
  online: boolean;
  lastSeenAt: Time | null;
  battery: number | null;
  rssi: number | null;
  firmware: string | null;
}
export interface Device {
  id: string;
  kind: string;
  serial?: string;
  model?: string;
  status?: Partial<DeviceStatus> | null;
}
export interface Bed {
  id: string;
  label: string;
  householdId: string;
  residentId: string | null;
  devices?: Device[];
}
export interface Resident {
  id: string;
  name: string;
  birthYear: number | null;
  conditions?: string[] | null;
  notes?: string | null;
}
export interface Contact {
  name: string;
  phone: string;
  relation?: string | null;
  role: 'keyholder' | 'emergency';
  callOrder: number;
}
export interface Household {
  id: string;
  name: string;
  address: string;
  timeZone: string;
  contacts: Contact[];
}

export const VITAL_FIELDS = ['heartRate', 'respirationRate', 'spo2'] as const;
export type VitalField = (typeof VITAL_FIELDS)[number];
export type VitalStat = Schemas['AggregateStatsDto'];
export type VitalsBucket = Schemas['VitalsBucketDto'];

export type AgeBucket = '<1m' | '1-5m' | '5-15m' | '>15m';
export interface Kpis {
  ackSeconds: { p50: number | null; p95: number | null };
  ackedWithin60s: number | null;
  ackedWithin180s: number | null;
  openByAge: { bucket: AgeBucket; count: number }[];
  falseAlarmRate: { kind: string; rate: number; total: number }[];
}

export const ALARM_EVENT_TYPES = [
  'alarm.raised',
  'alarm.updated',
  'alarm.escalated',
  'alarm.acknowledged',
  'alarm.cleared',
  'alarm.resolved',
] as const;
export type AlarmEventType = (typeof ALARM_EVENT_TYPES)[number];
export interface AlarmEvent {
  type: AlarmEventType;
  id: string | null;
  alarm: Alarm;
  at: Time;
}

export const CALL_OUTCOMES = ['answered', 'no_answer', 'busy', 'wrong_number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export interface PlanResponder {
  name: string;
  phone: string;
  type: ResponderType;
}
export interface ActionPlan {
  kind: string;
  steps: string[];
  responders: PlanResponder[];
  updatedBy: string;
  updatedAt: Time;
}
export interface CallListEntry {
  calleeType: 'contact' | 'responder';
  name: string;
  phone: string;
  role: string;
  responderType: ResponderType;
  relation: string | null;
  attempts: number;
  lastOutcome: CallOutcome | null;
}
export interface CallAttempt {
  id: string;
  calleeType: 'contact' | 'responder';
  calleeName: string;
  phone: string;
  outcome: CallOutcome;
  note: string | null;
  actor: string;
  actorName: string | null;
  at: Time;
}
export interface CallList {
  plan: ActionPlan | null;
  entries: CallListEntry[];
  next: number | null;
  attempts: CallAttempt[];
}

export interface HistoryItem extends Alarm {
  residentId: string | null;
}
export interface HistoryPage {
  items: HistoryItem[];
  total: number;
  page: number;
  pageSize: number;
}
export interface HistoryQuery {
  q?: string;
  kind?: string;
  outcome?: string;
  from?: string;
  to?: string;
  residentId?: string;
  householdId?: string;
  bedId?: string;
  page?: number;
}
export type ResidentTimelineItem =
  | { type: 'alarm'; at: Time; alarm: HistoryItem }
  | {
      type: 'device_event';
      at: Time;
      event: { deviceId: string; deviceKind: string | null; eventId: string; type: string; bedId: string | null };
    };

export interface HandoverItem {
  type: 'open' | 'held' | 'follow_up';
  alarmId: string | null;
  text: string;
  kind?: string;
  severity?: string;
  state?: string;
  residentName?: string | null;
  householdName?: string | null;
  heldUntil?: Time | null;
  holdReason?: string | null;
}
export interface Handover {
  id: string;
  summary: string;
  items: HandoverItem[];
  writtenBy: string;
  writtenByName: string | null;
  writtenAt: Time;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  acknowledgedAt: Time | null;
}

export interface Wallboard {
  at: Time;
  queue: {
    open: number;
    unacknowledged: number;
    held: number;
    escalated: number;
    bySeverity: Record<string, number>;
    oldestUnacknowledgedSeconds: number | null;
  };
  operators: {
    username: string;
    displayName: string | null;
    handlingNow: number;
    acknowledged: number;
    resolved: number;
    calls: number;
    answerSecondsP50: number | null;
  }[];
  escalations: { inWindow: number; openEscalated: number };
  totals: {
    raised: number;
    humanHandled: number;
    autoResolved: number;
    ackedWithin60sOfHuman: number | null;
    ackedWithin180sOfHuman: number | null;
  };
  trends: {
    day: string;
    raised: number;
    humanHandled: number;
    autoResolved: number;
    ackedWithin60sOfHuman: number | null;
    answerSecondsP50: number | null;
    falseAlarms: number;
  }[];
}

/** `{code, message}` as the hub answers errors. */
export interface ApiErrorBody {
  code?: string;
  message?: string | string[];
}
