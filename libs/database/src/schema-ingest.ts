import type { JSONColumnType } from 'kysely';
import type { Timestamp } from './schema';

export interface AlarmAckOutboxTable {
  device_id: string;
  event_id: string;
  bed_id: string;
  /** Null until the event's evaluation raised or updated an alarm. */
  alarm_id: string | null;
  received_at: Timestamp;
}

/** One device's samples of one minute, folded (libs/telemetry MinuteRollup). */
export interface TelemetryMinutesTable {
  bed_id: string;
  minute: Timestamp;
  device_id: string;
  kind: string;
  version: number;
  samples: number;
  /** Samples the row held when this fold began: the optimistic-concurrency check of an update. */
  base_samples: number;
  /** Compact JSON (see MinuteRollupRepository). */
  data: JSONColumnType<unknown[]>;
}

export interface TelemetryMinutesSinceTable {
  id: number;
  /** Rollups are complete for telemetry from this instant on; null: for all of it. */
  since: Timestamp | null;
}

declare module './schema' {
  interface DB {
    alarm_ack_outbox: AlarmAckOutboxTable;
    telemetry_minutes: TelemetryMinutesTable;
    telemetry_minutes_since: TelemetryMinutesSinceTable;
  }
}
