import type { components } from './schema';

type Schemas = components['schemas'];

/**
 * Wire types of the hub's REST API as the console uses them: generated from the hub's OpenAPI
 * document (schema.d.ts) where it describes the response, written here where it does not yet.
 * Times arrive as ISO strings or epoch ms.
 */
export type Time = string | number;

export type Role = 'admin' | 'supervisor' | 'operator' | 'installer';
export type User = Schemas['UserDto'];
export type LoginResponse = Schemas['LoginResultDto'];

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

export type Dispatch = Schemas['DispatchDto'];
export type OpenDispatch = Schemas['OpenDispatchDto'];
export type DispatchExpectation = Schemas['DispatchExpectationDto'];
export type DispatchExpectationView = Schemas['DispatchExpectationViewDto'];
export type Device = Schemas['DeviceViewDto'];
export type DeviceStatus = Schemas['DeviceStatusViewDto'];
/** A bed with the devices bound to it. */
export type Bed = Schemas['BedDetailDto'];
export type Resident = Schemas['ResidentViewDto'];
export type Contact = Schemas['ContactDto'];
export type Household = Schemas['HouseholdViewDto'];

export const VITAL_FIELDS = ['heartRate', 'respirationRate', 'spo2'] as const;
export type VitalField = (typeof VITAL_FIELDS)[number];
export type VitalStat = Schemas['AggregateStatsDto'];
export type VitalsBucket = Schemas['VitalsBucketDto'];

export type Kpis = Schemas['KpisDto'];
export type AgeBucket = Kpis['openByAge'][number]['bucket'];

export const ALARM_EVENT_TYPES = [
  'alarm.raised',
  'alarm.updated',
  'alarm.escalated',
  'alarm.acknowledged',
  'alarm.cleared',
  'alarm.resolved',
  'alarm.dispatch_overdue',
] as const;
export type AlarmEventType = (typeof ALARM_EVENT_TYPES)[number];
export interface AlarmEvent {
  type: AlarmEventType;
  id: string | null;
  alarm: Alarm;
  at: Time;
}

/** A call for help the hub heard but could not store yet (stream `provisional.alarm`, no event id). */
export type ProvisionalAlarm = Schemas['ProvisionalAlarmDto'];
/** The call is stored; `alarmId` names the alarm it raised or updated (stream `provisional.stored`). */
export type ProvisionalStored = Schemas['ProvisionalStoredDto'];
export type ProvisionalNotice =
  { type: 'provisional.alarm'; notice: ProvisionalAlarm } | { type: 'provisional.stored'; notice: ProvisionalStored };

export const CALL_OUTCOMES = ['answered', 'no_answer', 'busy', 'wrong_number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export type PlanResponder = Schemas['ResponderDto'];
export type ActionPlan = Schemas['StoredActionPlanDto'];
export type CallListEntry = Schemas['CallListEntryDto'];
export type CallAttempt = Schemas['CallAttemptRecordDto'];
export type CallList = Schemas['CallListDto'];

export type HistoryItem = Schemas['HistoryItemDto'];
export type HistoryPage = Schemas['HistoryPageDto'];
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
/** A resident's alarm or device event, newest first. */
export type ResidentTimelineItem = Schemas['ResidentAlarmHistoryDto']['items'][number];

export type HandoverItem = Schemas['HandoverItemDto'];
export type Handover = Schemas['HandoverDto'];

export type Wallboard = Schemas['WallboardDto'];

/** `{code, message}` as the hub answers errors. */
export interface ApiErrorBody {
  code?: string;
  message?: string | string[];
}
