import type { RuleSet } from '../config/rule-set';
import { evaluate, nextDeadline } from '../engine/evaluate';
import { initialBedState, type BedRuleState } from '../model/bed-state';
import type { ActionDetails, RuleAction } from '../model/rule-action';
import type { RuleInput } from '../model/rule-input';
import type { RuleKind } from '../model/rule-kind';
import type { Severity } from '../model/severity';

export interface TimedInput {
  /**
   * When the hub received it (ms epoch); becomes `now` for its evaluation (timers, offline). Vital-sign
   * holds use each sample's own `ts`, exactly as live.
   */
  at: number;
  input: RuleInput;
}

export interface BacktestContext {
  bedId: string;
  /** Start from a saved state instead of an empty bed. */
  initialState?: BedRuleState;
  /** Keep ticking after the last input up to this instant, so trailing timers fire. */
  until?: number;
}

/** One alarm the rules would have raised, with what happened to it afterwards. */
export interface BacktestAlarm {
  key: string;
  kind: RuleKind;
  subject: string | null;
  severity: Severity;
  initialSeverity: Severity;
  startedAt: number;
  raisedAt: number;
  repeatCount: number;
  clearedAt: number | null;
  cancelledAt: number | null;
  suppressed: boolean;
  reason: string;
  details: ActionDetails;
}

/** Readings the rules did not use (or a pending condition dropped at a gap), one per run: why no alarm. */
export interface BacktestIgnored {
  kind: RuleKind;
  deviceId: string | null;
  reason: string;
  startedAt: number;
  at: number;
  message: string;
  details: ActionDetails;
}

export interface BacktestResult {
  alarms: BacktestAlarm[];
  ignored: BacktestIgnored[];
  /** Every action, in order, including cancels before raise and suppressed ones. */
  actions: RuleAction[];
  state: BedRuleState;
  /** Ticks injected so timers fired between inputs. */
  ticks: number;
}

/**
 * Replays a time-ordered list of inputs for one bed, injecting a tick at every deadline that falls
 * between inputs, exactly as the live scheduler would. For trying a rule change on recorded data.
 */
export function backtest(ruleSet: RuleSet, inputs: readonly TimedInput[], context: BacktestContext): BacktestResult {
  let state = context.initialState ?? initialBedState(context.bedId);
  const actions: RuleAction[] = [];
  let ticks = 0;
  let previous = -Infinity;

  const run = (input: RuleInput, at: number) => {
    const result = evaluate(ruleSet, state, input, at);
    state = result.state;
    actions.push(...result.actions);
  };
  const tickUntil = (limit: number) => {
    // Deadlines are always later than the last evaluation, so this loop advances and ends.
    for (let d = nextDeadline(state); d !== null && d <= limit; d = nextDeadline(state)) {
      run({ type: 'tick' }, d);
      ticks++;
    }
  };

  inputs.forEach(({ at, input }, i) => {
    if (at < previous) throw new RangeError(`inputs must be in time order: input ${i} at ${at} is before ${previous}`);
    previous = at;
    tickUntil(at);
    run(input, at);
  });
  if (context.until !== undefined) {
    tickUntil(context.until);
    if ((state.lastEvaluatedAt ?? -Infinity) < context.until) run({ type: 'tick' }, context.until);
  }
  const ignored: BacktestIgnored[] = [];
  for (const a of actions) {
    if (a.type === 'ignored')
      ignored.push({
        kind: a.kind,
        deviceId: a.subject,
        reason: a.reason,
        startedAt: a.startedAt,
        at: a.at,
        message: a.message,
        details: a.details,
      });
  }
  return { alarms: summarise(actions), ignored, actions, state, ticks };
}

function summarise(actions: readonly RuleAction[]): BacktestAlarm[] {
  const byKey = new Map<string, BacktestAlarm>();
  for (const a of actions) {
    if (a.type === 'ignored') continue;
    if (a.type === 'raise') {
      if (byKey.has(a.key)) continue;
      byKey.set(a.key, {
        key: a.key,
        kind: a.kind,
        subject: a.subject,
        severity: a.severity,
        initialSeverity: a.severity,
        startedAt: a.startedAt,
        raisedAt: a.at,
        repeatCount: 0,
        clearedAt: null,
        cancelledAt: null,
        suppressed: a.suppressed,
        reason: a.reason,
        details: a.details,
      });
      continue;
    }
    const alarm = byKey.get(a.key);
    if (!alarm) continue;
    if (a.type === 'update') {
      alarm.severity = a.severity;
      alarm.repeatCount = a.repeatCount;
    } else if (a.type === 'clear') alarm.clearedAt = a.at;
    else alarm.cancelledAt = a.at;
  }
  return [...byKey.values()];
}
