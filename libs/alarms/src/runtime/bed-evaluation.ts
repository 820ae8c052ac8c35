import {
  evaluate,
  type BedRuleState,
  type Evaluation,
  type RaiseAction,
  type RuleAction,
  type RuleInput,
  type RuleSet,
} from '@bedside/rules';
import { sameDurableState } from './durable-state';

/**
 * How one bed's inputs are evaluated (pure; no I/O): the rules engine over the inputs in order,
 * and what the result needs written. The runner decides when and in which queue this runs.
 */

/** The inputs evaluated in order from `state`, their actions concatenated. */
export function runInputs(
  ruleSet: RuleSet,
  state: BedRuleState,
  inputs: readonly RuleInput[],
  now: number,
): Evaluation {
  if (inputs.length === 1) return evaluate(ruleSet, state, inputs[0], now);
  const actions: RuleAction[] = [];
  for (const input of inputs) {
    const r = evaluate(ruleSet, state, input, now);
    state = r.state;
    for (const a of r.actions) actions.push(a);
  }
  return { state, actions };
}

/** The raise when it is an evaluation's only action (an SOS press, a fall), else null. */
export function loneRaise(actions: readonly RuleAction[]): RaiseAction | null {
  return actions.length === 1 && actions[0].type === 'raise' ? actions[0] : null;
}

/**
 * True when the evaluation raised nothing and changed nothing durable (sameDurableState): its
 * new state can wait in memory for the next checkpoint instead of a transaction.
 */
export function movesReadingsOnly(before: BedRuleState, result: Evaluation): boolean {
  return result.actions.length === 0 && sameDurableState(before, result.state);
}

const NONE_DUE: readonly string[] = Object.freeze([]);

/** Ids of the alarms in `escalations` (id -> next escalation instant) whose escalation is due at `now`. */
export function dueEscalations(escalations: ReadonlyMap<string, number>, now: number): readonly string[] {
  if (escalations.size === 0) return NONE_DUE; // most beds, on every message
  const due: string[] = [];
  for (const [id, at] of escalations) if (at <= now) due.push(id);
  return due;
}
