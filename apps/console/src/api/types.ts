/** Wire types of the hub's REST API as the console uses them. Times arrive as ISO strings or epoch ms. */
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

export interface Alarm {
  id: string;
  bedId: string;
  organisationId?: string;
  kind: string;
  severity: Severity;
  state: AlarmState;
  cleared: boolean;
  repeatCount: number;
  raisedAt: Time;
  acknowledgedAt: Time | null;
  acknowledgedBy: string | null;
  resolvedAt: Time | null;
  outcome: string | null;
  escalationLevel: number;
  message?: string | null;
  details?: Record<string, unknown> | null;
  subject?: string | null;
  incidentId?: string;
  startedAt?: Time;
  /** Why it was raised, as a code (`sos_pressed`, `battery_low`, …): the console words it, with `details`. */
  reason?: string | null;
  resolvedBy?: string | null;
  // Who and where, joined by the hub for list, stream and detail.
  bedLabel?: string | null;
  residentName?: string | null;
  householdId?: string | null;
  householdName?: string | null;
  address?: string | null;
  timeZone?: string | null;
  acknowledgedByName?: string | null;
  resolvedByName?: string | null;
}

export interface TimelineEntry {
  at: Time;
  actor: string | null;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
}

export const RESPONDER_TYPES = ['keyholder', 'community_worker', 'ambulance'] as const;
export type ResponderType = (typeof RESPONDER_TYPES)[number];
export const DISPATCH_STATUSES = ['dispatched', 'en_route', 'on_site', 'closed'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

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

export interface AlarmNote {
  id?: string;
  at?: Time;
  createdAt?: Time;
  author?: string | null;
  text: string;
}

export interface AlarmDetail {
  alarm: Alarm;
  timeline: TimelineEntry[];
  notes?: AlarmNote[];
  dispatches?: Dispatch[];
  /** Display names of the timeline's people, by username. */
  actors?: Record<string, string>;
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

export interface VitalStat {
  min: number | null;
  mean: number | null;
  max: number | null;
  count: number;
}
export const VITAL_FIELDS = ['heartRate', 'respirationRate', 'spo2'] as const;
export type VitalField = (typeof VITAL_FIELDS)[number];
export interface VitalsBucket {
  ts: Time;
  values: Partial<Record<VitalField, VitalStat | null>>;
}

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

/** `{code, message}` as the hub answers errors. */
export interface ApiErrorBody {
  code?: string;
  message?: string | string[];
}
