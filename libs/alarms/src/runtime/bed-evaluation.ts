import {
  evaluate,
  type BedRuleState,
  type Evaluation,
  type RaiseAction,
  type RuleAction,
  type RuleInput,
  type RuleSet,
  type UpdateAction,
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

/** A device past its silence limit: heard from last at `lastSeenAt`, silent from `limit`. */
export interface SilentDevice {
  deviceId: string;
  lastSeenAt: number;
  limit: number;
}

/**
 * Online devices of the bed that are silent past the rule set's limit at `now` (and not already
 * going offline through a disconnect): what would be marked offline by this evaluation.
 */
export function silentDevices(state: BedRuleState, ruleSet: RuleSet, now: number): SilentDevice[] {
  const { silentAfterMs } = ruleSet.deviceOffline;
  const silent: SilentDevice[] = [];
  for (const id in state.devices) {
    const d = state.devices[id];
    const limit = d.lastSeenAt + silentAfterMs;
    if (d.online && d.disconnectedAt === null && now >= limit)
      silent.push({ deviceId: id, lastSeenAt: d.lastSeenAt, limit });
  }
  return silent;
}

/**
 * Sightings of silent devices from the last-seen instants other hubs stored, in time order. One
 * stored at or after the limit counts as just before it: the stored instant is coarse, so the
 * device is taken as heard until then, not as silent in between.
 */
export function sightings(silent: readonly SilentDevice[], stored: ReadonlyMap<string, number>): RuleInput[] {
  const out: { type: 'device.seen'; deviceId: string; at: number }[] = [];
  for (const d of silent) {
    const at = stored.get(d.deviceId);
    if (at !== undefined && at > d.lastSeenAt)
      out.push({ type: 'device.seen', deviceId: d.deviceId, at: Math.min(at, d.limit - 1) });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The raise or update when it is an evaluation's only action (an SOS press, a fall, the same
 * button pressed again), else null.
 */
export function loneAlarmWrite(actions: readonly RuleAction[]): RaiseAction | UpdateAction | null {
  const only = actions.length === 1 ? actions[0] : null;
  return only?.type === 'raise' || only?.type === 'update' ? only : null;
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
