import type { JSONColumnType } from 'kysely';
import type { Timestamp } from './schema';

export interface VisitHistoryEntry {
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string;
  note: string | null;
}

export interface VisitsTable {
  id: string;
  organisation_id: string;
  resident_id: string;
  household_id: string;
  source: 'deviation' | 'policy' | 'alarm' | 'manual';
  /** deviation: the night; policy: `after:` the resident's last closed visit (or none); alarm: the alarm id; manual: a new id. */
  source_key: string;
  alarm_id: string | null;
  reason: string;
  state: 'planned' | 'assigned' | 'visited' | 'not_home' | 'cancelled';
  assignee_kind: 'worker' | 'team' | null;
  assignee: string | null;
  /** The user who is the assigned worker, when the assignment named one. */
  assignee_user_id: string | null;
  due_at: Timestamp;
  checked_in_at: Timestamp | null;
  outcome: string | null;
  notes: string | null;
  overdue_at: Timestamp | null;
  history: JSONColumnType<VisitHistoryEntry[]>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VisitPoliciesTable {
  organisation_id: string;
  category: string;
  interval_days: number;
  updated_by: string;
  updated_at: Timestamp;
}

export interface ResidentCategoriesTable {
  resident_id: string;
  category: string;
  since: Timestamp;
}

/** A bed's spell in service: a resident and at least one device with valid credentials. */
export interface BedServicePeriodsTable {
  bed_id: string;
  started_at: Timestamp;
  /** null while it lasts. */
  ended_at: Timestamp | null;
}

declare module './schema' {
  interface DB {
    visits: VisitsTable;
    bed_service_periods: BedServicePeriodsTable;
    visit_policies: VisitPoliciesTable;
    resident_categories: ResidentCategoriesTable;
  }
}
