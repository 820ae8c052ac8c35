import type { RuleSet } from '../config/rule-set';
import type { BedRuleState } from '../model/bed-state';
import type { RuleAction } from '../model/rule-action';
import type { RuleInput } from '../model/rule-input';
import type { RuleKind } from '../model/rule-kind';

/**
 * The working set of one evaluation: a private copy of the state, mutated in place, plus emitted actions.
 * `now` is the hub clock (timers, episodes); a telemetry sample also has its own event time, set by the
 * device tracker before the rules read it (plain fields: no object per sample).
 */
export interface EvalContext {
  readonly ruleSet: RuleSet;
  readonly state: BedRuleState;
  readonly now: number;
  readonly actions: RuleAction[];
  /** The sample's own time (`ts`, else `now`). */
  sampleTs: number;
  /** Older than a sample of the same device already evaluated: not used for holds or presence. */
  sampleLate: boolean;
  /** Longest gap between two samples of this device that still counts as continuous. */
  sampleMaxGapMs: number;
}

/** Receives a named instant at which a tick is needed; null or past instants are dropped. */
export type TimerSink = (name: string, at: number | null) => void;

/**
 * One concern of the engine. `onInput` records what a message says; `check` decides at `now` from the state
 * alone (so a tick and a message are judged alike); `timers` says when `check` could next change its mind.
 */
export interface RuleModule {
  readonly name: string;
  onInput?(ctx: EvalContext, input: RuleInput): void;
  check?(ctx: EvalContext): void;
  timers?(ctx: EvalContext, add: TimerSink): void;
}

export function isSilenced(ctx: EvalContext, kind: RuleKind): boolean {
  const s = ctx.state.silence;
  return s !== null && ctx.now < s.until && !ctx.ruleSet.maintenance.exemptKinds.includes(kind);
}
