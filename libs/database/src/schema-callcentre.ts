import type { Generated, JSONColumnType } from 'kysely';
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
}

export interface AlarmDisplaysTable {
  alarm_id: string;
  first_displayed_at: Timestamp;
  displayed_by: string;
}

declare module './schema' {
  interface DB {
    webhooks: WebhooksTable;
    webhook_deliveries: WebhookDeliveriesTable;
    dispatches: DispatchesTable;
    alarm_displays: AlarmDisplaysTable;
  }
}
