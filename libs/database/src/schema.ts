import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface Contact {
  name: string;
  phone: string;
  relation?: string;
  /** key-holder: can open the door; emergency: call only. */
  role: 'keyholder' | 'emergency';
  /** 1 = call first. */
  callOrder: number;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface HouseholdsTable {
  id: string;
  organisation_id: string;
  name: string;
  address: string;
  time_zone: string;
  contacts: JSONColumnType<Contact[]>;
  /** The street (regions.kind = 'street') the household is in; null until assigned. */
  region_id: string | null;
  created_at: CreatedAt;
}

export interface ResidentsTable {
  id: string;
  household_id: string;
  name: string;
  birth_year: number | null;
  conditions: JSONColumnType<string[]>;
  notes: string | null;
  created_at: CreatedAt;
}

export interface BedsTable {
  id: string;
  household_id: string;
  resident_id: string | null;
  label: string;
  created_at: CreatedAt;
}

export interface DevicesTable {
  id: string;
  organisation_id: string;
  kind: 'mattress' | 'button' | 'wearable';
  serial: string;
  model: string;
  firmware: string | null;
  bed_id: string | null;
  secret_salt: string;
  secret_hash: string;
  credentials_issued_at: Timestamp;
  revoked_at: Timestamp | null;
  online: Generated<boolean>;
  last_seen_at: Timestamp | null;
  battery: number | null;
  rssi: number | null;
  reported_firmware: string | null;
  status_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface DeviceEventsTable {
  device_id: string;
  event_id: string;
  type: string;
  bed_id: string | null;
  device_ts: Timestamp;
  seq: number | null;
  confidence: number | null;
  received_at: Timestamp;
  /** The database's clock when the row was written; null for rows stored before it was kept. */
  stored_at: ColumnType<Date | null, never, never>;
}

export interface DeviceRejectionsTable {
  device_id: string;
  code: string;
  count: number;
  last_at: Timestamp;
  last_message: string;
}

export interface TelemetrySamplesTable {
  device_id: string;
  ts: Timestamp;
  bed_id: string | null;
  kind: string;
  seq: number;
  heart_rate: number | null;
  respiration_rate: number | null;
  in_bed: boolean | null;
  movement: number | null;
  signal_quality: number | null;
  spo2: number | null;
  steps: number | null;
  worn: boolean | null;
  battery: number | null;
}

export interface AlarmsTable {
  id: string;
  organisation_id: string;
  bed_id: string;
  subject: string | null;
  kind: string;
  severity: string;
  state: string;
  cleared: boolean;
  cleared_at: Timestamp | null;
  cancelled_by_resident_at: Timestamp | null;
  repeat_count: number;
  started_at: Timestamp;
  raised_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  outcome: string | null;
  escalation_level: number;
  last_escalated_at: Timestamp | null;
  next_escalation_at: Timestamp | null;
  incident_id: string;
  suppressed: boolean;
  reason: string;
  message: string;
  details: JSONColumnType<Record<string, string | number | boolean | null>>;
  idempotency_key: string;
  updated_at: Timestamp;
}

export interface AlarmAuditTable {
  id: Generated<number>;
  alarm_id: string;
  at: Timestamp;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string;
  note: string | null;
}

export interface AlarmEventsTable {
  id: Generated<number>;
  alarm_id: string;
  type: string;
  at: Timestamp;
  payload: JSONColumnType<Record<string, unknown>>;
}

export interface BedRuleStateTable {
  bed_id: string;
  state: JSONColumnType<Record<string, unknown>>;
  next_deadline: Timestamp | null;
  /** stored_at of the newest device event evaluated (received_at before 0019-event-stored-at). */
  event_cursor: Timestamp | null;
  updated_at: Timestamp;
  /** Increases with every state change of the bed; a write never replaces a higher version. */
  version: ColumnType<number, number | undefined, number>;
}

export interface RuleActionsTable {
  id: Generated<number>;
  bed_id: string;
  key: string;
  type: string;
  kind: string;
  at: Timestamp;
  suppressed: boolean;
  action: JSONColumnType<Record<string, unknown>>;
}

export interface RuleSetsTable {
  id: Generated<number>;
  scope: 'default' | 'organisation' | 'bed';
  scope_id: string;
  version: number;
  body: JSONColumnType<Record<string, unknown>>;
  author: string;
  created_at: Timestamp;
}

export interface MaintenanceTable {
  id: string;
  bed_id: string;
  since: Timestamp;
  until: Timestamp;
  reason: string;
  actor: string;
  ended_at: Timestamp | null;
  ended_by: string | null;
}

export interface DB {
  organisations: OrganisationsTable;
  households: HouseholdsTable;
  residents: ResidentsTable;
  beds: BedsTable;
  devices: DevicesTable;
  device_events: DeviceEventsTable;
  device_rejections: DeviceRejectionsTable;
  telemetry_samples: TelemetrySamplesTable;
  alarms: AlarmsTable;
  alarm_audit: AlarmAuditTable;
  alarm_events: AlarmEventsTable;
  bed_rule_state: BedRuleStateTable;
  rule_actions: RuleActionsTable;
  rule_sets: RuleSetsTable;
  maintenance: MaintenanceTable;
}
