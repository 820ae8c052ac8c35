/** A home visit (巡访) as a work order. */
export type VisitState = 'planned' | 'assigned' | 'visited' | 'not_home' | 'cancelled';
export const VISIT_STATES: readonly VisitState[] = ['planned', 'assigned', 'visited', 'not_home', 'cancelled'];
/** Still to be done: what the overdue flag and the planner's "already planned" look at. */
export const OPEN_STATES: readonly VisitState[] = ['planned', 'assigned'];

/** Why it was planned: a night off the resident's baseline, the visiting policy, an alarm, or by hand. */
export type VisitSource = 'deviation' | 'policy' | 'alarm' | 'manual';
export const VISIT_SOURCES: readonly VisitSource[] = ['deviation', 'policy', 'alarm', 'manual'];

export type AssigneeKind = 'worker' | 'team';

/** Who does the visit; `userId` when the worker is a user of the console (their own list shows it). */
export interface Assignee {
  kind: AssigneeKind;
  name: string;
  userId?: string;
}

/** What the visitor found. */
export type VisitOutcome = 'well' | 'needs_follow_up' | 'referred' | 'escalated';
export const VISIT_OUTCOMES: readonly VisitOutcome[] = ['well', 'needs_follow_up', 'referred', 'escalated'];

export interface Visit {
  id: string;
  organisationId: string;
  residentId: string;
  householdId: string;
  source: VisitSource;
  sourceKey: string;
  alarmId: string | null;
  reason: string;
  state: VisitState;
  assignee: Assignee | null;
  dueAt: number;
  checkedInAt: number | null;
  outcome: VisitOutcome | null;
  notes: string | null;
  /** When the visit was first seen open past its due time; null if never. */
  overdueAt: number | null;
  history: VisitHistoryEntry[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface VisitHistoryEntry {
  at: number;
  actor: string;
  action: VisitAction['type'] | 'planned' | 'overdue';
  from: VisitState | null;
  to: VisitState;
  note: string | null;
}

export type VisitAction =
  | { type: 'assign'; assignee: Assignee }
  | { type: 'check_in'; found: 'visited' | 'not_home'; at: number; outcome?: VisitOutcome; notes?: string }
  | { type: 'reschedule'; dueAt: number }
  | { type: 'note'; text: string }
  | { type: 'cancel'; reason: string };
