import type { Timestamp } from './schema';

export interface AlarmAckOutboxTable {
  device_id: string;
  event_id: string;
  bed_id: string;
  /** Null until the event's evaluation raised or updated an alarm. */
  alarm_id: string | null;
  received_at: Timestamp;
}

declare module './schema' {
  interface DB {
    alarm_ack_outbox: AlarmAckOutboxTable;
  }
}
