import { nextDeadline, type BedRuleState, type RuleSet } from '@bedside/rules';
import type { BedContext } from '../persistence/bed-context.repository';
import type { StoredBedState } from '../persistence/bed-rule-state.repository';

/** What the runner keeps in memory per bed. */
export interface BedEntry {
  ctx: BedContext;
  /** Effective rules, loaded on first use and dropped when they change. */
  ruleSet: RuleSet | null;
  /** Bumped on every rules change, so a load that raced one is not cached. */
  rulesGeneration: number;
  state: BedRuleState;
  /** stored_at (the database's clock) of the newest device event evaluated. */
  cursor: number | null;
  /** Open unacknowledged alarms of the bed -> next escalation instant. */
  escalations: Map<string, number>;
  /** A commit failed: replay stored device events from the cursor before the next evaluation. */
  needsReplay: boolean;
  /** Bumped on every state change; `savedVersion` is what the database has. */
  version: number;
  savedVersion: number;
}

/** The bed's state as stored, at `version`. */
export function storedState(
  entry: BedEntry,
  state: BedRuleState,
  eventCursor: number | null,
  version: number,
): StoredBedState {
  return { bedId: entry.ctx.bedId, state, nextDeadline: nextDeadline(state), eventCursor, version };
}

/** When the bed next needs a tick: its earliest rule deadline or escalation, or null. */
export function nextWakeAt(entry: BedEntry): number | null {
  let next = nextDeadline(entry.state);
  for (const at of entry.escalations.values()) if (next === null || at < next) next = at;
  return next;
}
