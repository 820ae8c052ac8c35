import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

export interface WebhooksTable {
  id: string;
  organisation_id: string;
  url: string;
  /** HMAC key for the X-Bedside-Signature header; shown once at creation. */
  secret: string;
  event_types: JSONColumnType<string[]>;
  active: boolean;
  created_by: string;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  /** alarm_events.id: with webhook_id, the idempotency key of a delivery. */
  event_id: number;
  event_type: string;
  payload: JSONColumnType<Record<string, unknown>>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Timestamp;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface DispatchesTable {
  id: string;
  alarm_id: string;
  organisation_id: string;
  responder_type: 'keyholder' | 'community_worker' | 'ambulance';
  responder_name: string;
  status: 'dispatched' | 'en_route' | 'on_site' | 'closed';
  note: string | null;
  history: JSONColumnType<{ at: string; actor: string; status: string; note: string | null }[]>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** When the step the dispatch waits for (arrival, then close-out) is due; null: no expectation. */
  due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the sweep flagged it late for that step; cleared when the next step starts. */
  overdue_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When it first ran late at any step; never cleared. */
  first_overdue_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the coded note of the current flag was written; null while a flag awaits its note. */
  overdue_noted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DispatchExpectationsTable {
  organisation_id: string;
  responder_type: 'keyholder' | 'community_worker' | 'ambulance';
  on_site_within_s: number;
  close_within_s: number | null;
  updated_by: string;
  updated_at: Timestamp;
}

export interface AlarmDisplaysTable {
  alarm_id: string;
  first_displayed_at: Timestamp;
  displayed_by: string;
}

export interface ActionPlanResponder {
  name: string;
  phone: string;
  type: 'keyholder' | 'community_worker' | 'ambulance';
}

export interface ActionPlansTable {
  organisation_id: string;
  kind: string;
  steps: JSONColumnType<string[]>;
  responders: JSONColumnType<ActionPlanResponder[]>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface CallAttemptsTable {
  id: string;
  alarm_id: string;
  organisation_id: string;
  callee_type: 'contact' | 'responder';
  callee_name: string;
  phone: string;
  outcome: 'answered' | 'no_answer' | 'busy' | 'wrong_number';
  note: string | null;
  actor: string;
  at: Timestamp;
}

export interface HandoverItem {
  type: 'open' | 'held' | 'follow_up';
  alarmId: string | null;
  /** The outgoing shift's words (follow-ups), or empty for alarms listed from the queue. */
  text: string;
  kind?: string;
  severity?: string;
  state?: string;
  residentName?: string | null;
  householdName?: string | null;
  heldUntil?: string | null;
  holdReason?: string | null;
}

export interface HandoversTable {
  id: string;
  organisation_id: string;
  summary: string;
  items: JSONColumnType<HandoverItem[]>;
  written_by: string;
  written_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
}

declare module './schema' {
  interface AlarmsTable {
    held_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    held_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    hold_reason: ColumnType<string | null, string | null | undefined, string | null>;
    held_by: ColumnType<string | null, string | null | undefined, string | null>;
    hold_escalates: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  }
  interface AlarmAuditTable {
    note_code: ColumnType<string | null, string | null | undefined, string | null>;
    note_params: ColumnType<Record<string, string | number | boolean> | null, string | null | undefined, string | null>;
  }
  interface DB {
    action_plans: ActionPlansTable;
    call_attempts: CallAttemptsTable;
    handovers: HandoversTable;
    webhooks: WebhooksTable;
    webhook_deliveries: WebhookDeliveriesTable;
    dispatches: DispatchesTable;
    dispatch_expectations: DispatchExpectationsTable;
    alarm_displays: AlarmDisplaysTable;
  }
}
