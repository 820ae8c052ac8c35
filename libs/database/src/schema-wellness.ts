import type { ColumnType, JSONColumnType } from 'kysely';
import type { Timestamp } from './schema';

export interface NightSummariesTable {
  bed_id: string;
  /** Local date ("YYYY-MM-DD") the night starts on, in time_zone. */
  night: string;
  resident_id: string | null;
  organisation_id: string;
  time_zone: string;
  window_start: Timestamp;
  window_end: Timestamp;
  has_data: boolean;
  summary: JSONColumnType<Record<string, unknown>>;
  baseline: JSONColumnType<Record<string, unknown>>;
  deviations: JSONColumnType<Record<string, unknown>[]>;
  flagged: boolean;
  summary_version: number;
  /** 1 when first stored, +1 each time it is computed again or re-assessed (an earlier night changed its baseline). */
  revision: ColumnType<number, number | undefined, number>;
  computed_at: Timestamp;
}

export interface NightSummaryRequestsTable {
  bed_id: string;
  night: string;
  requested_at: Timestamp;
  reason: 'late_data' | 'manual';
}

export interface WellnessThresholdsTable {
  organisation_id: string;
  /** The organisation's complete DeviationThresholds (defaults merged in when saved). */
  thresholds: JSONColumnType<Record<string, unknown>>;
  updated_by: string;
  updated_at: Timestamp;
}

declare module './schema' {
  interface DB {
    wellness_thresholds: WellnessThresholdsTable;
    night_summaries: NightSummariesTable;
    night_summary_requests: NightSummaryRequestsTable;
  }
}
