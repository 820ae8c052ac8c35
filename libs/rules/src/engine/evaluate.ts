import type { RuleSet } from '../config/rule-set';
import { cloneBedState, newRecord, type BedRuleState } from '../model/bed-state';
import type { RuleAction } from '../model/rule-action';
import type { RuleInput } from '../model/rule-input';
import { apneaRule } from '../rules/apnea.rule';
import { bedExitRule } from '../rules/bed-exit.rule';
import { deviceOfflineRule } from '../rules/device-offline.rule';
import { fallRule } from '../rules/fall.rule';
import { heartRateRule } from '../rules/heart-rate.rule';
import { lowBatteryRule } from '../rules/low-battery.rule';
import { maintenanceSilence } from '../rules/maintenance-silence';
import { notWornRule } from '../rules/not-worn.rule';
import { prolongedAbsenceRule } from '../rules/prolonged-absence.rule';
import { respirationRule } from '../rules/respiration.rule';
import { sosRule } from '../rules/sos.rule';
import { spo2Rule } from '../rules/spo2.rule';
import { tamperRule } from '../rules/tamper.rule';
import type { Clock } from '@bedside/common';
import { alarmResolution } from './alarm-resolution';
import { deviceTracker } from './device-tracker';
import type { EvalContext, RuleModule } from './eval-context';
import { presenceTracker } from './presence-tracker';

export interface Evaluation {
  state: BedRuleState;
  actions: RuleAction[];
}

/**
 * Order matters: trackers first (a device going offline resets what rules read), then the silence (so a
 * condition firing at the instant a silence ends alerts for real), then the rules.
 */
const MODULES: readonly RuleModule[] = [
  deviceTracker,
  presenceTracker,
  maintenanceSilence,
  alarmResolution,
  sosRule,
  tamperRule,
  fallRule,
  bedExitRule,
  prolongedAbsenceRule,
  heartRateRule,
  respirationRule,
  apneaRule,
  spo2Rule,
  deviceOfflineRule,
  lowBatteryRule,
  notWornRule,
];

const SEEN_EVENT_IDS = 64;
const TICK: RuleInput = { type: 'tick' };
// Deadlines strictly advance, so this only guards against a pathological rule set (e.g. 1 ms holds over years).
const MAX_CATCH_UP = 100_000;

/**
 * Pure evaluation of one input for one bed at `now` (ms epoch), like Prometheus' Eval(ts). Never mutates
 * `state`; returns the next state (persist it with the actions, atomically) and the actions to apply.
 * Timers that fell due before `now` and were not ticked (the process was down, a tick ran late) are
 * evaluated first, in order and at their own instants, so the outcome does not depend on tick punctuality.
 * `now` earlier than the previous evaluation is treated as the previous one (time never runs backwards).
 */
export function evaluate(ruleSet: RuleSet, state: BedRuleState, input: RuleInput, now: number): Evaluation {
  // A sighting reported late happened at its own instant: timers due after it must not fire first.
  const at = input.type === 'device.seen' ? Math.min(now, input.at) : now;
  let current = state;
  const actions: RuleAction[] = [];
  for (
    let i = 0, due = nextDeadline(current);
    due !== null && due < at && i < MAX_CATCH_UP;
    i++, due = nextDeadline(current)
  ) {
    const caughtUp = evaluateOnce(ruleSet, current, TICK, due);
    current = caughtUp.state;
    for (const a of caughtUp.actions) actions.push(a);
  }
  const result = evaluateOnce(ruleSet, current, input, at);
  if (actions.length === 0) return result;
  for (const a of result.actions) actions.push(a);
  return { state: result.state, actions };
}

function evaluateOnce(ruleSet: RuleSet, state: BedRuleState, input: RuleInput, now: number): Evaluation {
  const ctx: EvalContext = {
    ruleSet,
    state: cloneBedState(state),
    now: Math.max(now, state.lastEvaluatedAt ?? now),
    actions: [],
    sampleTs: now,
    sampleLate: false,
    sampleMaxGapMs: 0,
  };
  // A redelivered device event acts as a tick: due timers still fire, the event is not counted twice.
  const effective = isRedelivery(ctx, input) ? TICK : input;
  for (const m of MODULES) m.onInput?.(ctx, effective);
  for (const m of MODULES) m.check?.(ctx);
  ctx.state.timers = collectTimers(ctx);
  ctx.state.lastEvaluatedAt = ctx.now;
  return { state: ctx.state, actions: ctx.actions };
}

/** `evaluate` with the time read from an injected clock. */
export function evaluateWithClock(ruleSet: RuleSet, state: BedRuleState, input: RuleInput, clock: Clock): Evaluation {
  return evaluate(ruleSet, state, input, clock.now());
}

/**
 * The earliest instant at which a tick must be evaluated for this bed, or null when nothing is pending.
 * Schedule one timer per bed for it (it may be in the past after a restart: then tick at once).
 */
export function nextDeadline(state: BedRuleState): number | null {
  let next: number | null = null;
  for (const name in state.timers) {
    const at = state.timers[name];
    if (next === null || at < next) next = at;
  }
  return next;
}

function isRedelivery(ctx: EvalContext, input: RuleInput): boolean {
  if (input.type !== 'event' || !input.eventId) return false;
  const id = `${input.deviceId}/${input.eventId}`;
  const seen = ctx.state.seenEventIds;
  if (seen.includes(id)) return true;
  seen.push(id);
  if (seen.length > SEEN_EVENT_IDS) seen.splice(0, seen.length - SEEN_EVENT_IDS);
  return false;
}

function collectTimers(ctx: EvalContext): Record<string, number> {
  const timers = newRecord<number>();
  const now = ctx.now;
  // Anything due at or before now was just checked; only the future needs a tick.
  const add = (name: string, at: number | null) => {
    if (at !== null && at > now) timers[name] = at;
  };
  for (const m of MODULES) m.timers?.(ctx, add);
  return timers;
}
