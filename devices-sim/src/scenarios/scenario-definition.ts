import type { DeviceKind } from '@bedside/contracts';
import type { ScenarioContext } from './scenario-context';

/** The hub rule timings a scenario is built around (real time: hub timers, never scaled). */
export interface HubRuleTimings {
  warmupMs: number;
  /** Mattress readings are ignored this long after someone lies down. */
  settleAfterInBedMs: number;
  /** A jump beyond a vital sign's maxStep counts once it persists this long. */
  jumpConfirmMs: number;
  fallCancelWindowMs: number;
  heartRateCriticalForMs: number;
  apneaForMs: number;
  spo2ForMs: number;
  nightReturnWithinMs: number;
  presenceDebounceMs: number;
  offlineSilentAfterMs: number;
  /** An offline status (Last Will) counts once the device stays offline this long. */
  offlineGraceMs: number;
  lowBatteryThreshold: number;
}

export interface ScenarioOptions {
  cancelled: boolean;
  /** --fast-rules: the bed got the scenario's fastRules override, `rules` holds the shortened values. */
  fast: boolean;
  /** Timings in force on the hub for this bed (HUB_RULES without --fast-rules). */
  rules: HubRuleTimings;
  /** Added to every hub timer before declaring the alarm missing. */
  marginMs: number;
}

/** What the scenario promises the hub will do. `device`: the alarm's subject must be that device of the bed. */
export type Expectation =
  | { type: 'alarm'; kind: string; severity: string; device?: DeviceKind; note: string }
  | { type: 'no-alarm'; kind: string; note: string }
  | { type: 'errors'; note: string };

/** A partial rule set (the body of PUT /api/beds/:id/rules). */
export type RuleOverride = Record<string, unknown>;

export interface ScenarioDefinition {
  name: string;
  summary: string;
  devices: DeviceKind[];
  /** Household time zone to provision with (night-absence needs local night now). */
  timeZone?: () => string;
  expect: (o: ScenarioOptions) => Expectation;
  /** Real-time estimate at time scale 1, for the plan printed up front. */
  estimateMs: (o: ScenarioOptions) => number;
  /**
   * --fast-rules: the bed override that shortens this scenario's hold times (null: the scenario has
   * no hub timer to shorten, e.g. SOS raises at once).
   */
  fastRules: (o: Pick<ScenarioOptions, 'cancelled'>) => RuleOverride | null;
  /** Sends everything; returns once the expectation can be judged. */
  run: (ctx: ScenarioContext, o: ScenarioOptions) => Promise<void>;
}

/** Hub rule timings of the default rule set (libs/rules default-rule-set.ts). */
export const HUB_RULES: HubRuleTimings = {
  warmupMs: 60_000,
  settleAfterInBedMs: 60_000,
  jumpConfirmMs: 10_000,
  fallCancelWindowMs: 30_000,
  heartRateCriticalForMs: 30_000,
  apneaForMs: 30_000,
  spo2ForMs: 60_000,
  nightReturnWithinMs: 20 * 60_000,
  presenceDebounceMs: 30_000,
  offlineSilentAfterMs: 5 * 60_000,
  offlineGraceMs: 60_000,
  lowBatteryThreshold: 15,
};

/** Margin added to every hub timer before declaring the alarm missing (default rules). */
export const MARGIN_MS = 20_000;

/** Margin with --fast-rules: holds of a few seconds, so a shorter wait for the alarm. */
export const FAST_MARGIN_MS = 10_000;

/**
 * The shortened hold times --fast-rules puts on the scenario's bed. Each scenario PUTs only the
 * fields its own alarm depends on (see `fastRules` of each definition).
 */
export const FAST_RULES = {
  warmupMs: 3_000,
  settleAfterInBedMs: 3_000,
  jumpConfirmMs: 1_000,
  fallCancelWindowMs: 6_000,
  heartRateCriticalForMs: 3_000,
  heartRateMajorForMs: 6_000,
  apneaForMs: 3_000,
  spo2ForMs: 4_000,
  nightReturnWithinMs: 6_000,
  presenceDebounceMs: 3_000,
  offlineSilentAfterMs: 6_000,
  offlineGraceMs: 3_000,
} as const;

/** The default options (help text, estimates): real default rules. */
export const DEFAULT_OPTIONS: ScenarioOptions = {
  cancelled: false,
  fast: false,
  rules: HUB_RULES,
  marginMs: MARGIN_MS,
};

/** Sender-side lead-in phases (before the incident) shrink to at most 3 s with --fast-rules. */
export const leadIn = (o: Pick<ScenarioOptions, 'fast'>, ms: number): number => (o.fast ? Math.min(ms, 3_000) : ms);

/** Reads the timings back from an effective rule set (GET /api/beds/:id/rules/effective). */
export function timingsFromRuleSet(rs: Record<string, unknown>): HubRuleTimings {
  const field = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), rs);
  const num = (path: string, fallback: number) => {
    const v = field(path);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  };
  return {
    warmupMs: num('suppression.warmupMs', HUB_RULES.warmupMs),
    settleAfterInBedMs: num('artefacts.settleAfterInBedMs', HUB_RULES.settleAfterInBedMs),
    jumpConfirmMs: num('artefacts.jumpConfirmMs', HUB_RULES.jumpConfirmMs),
    fallCancelWindowMs: num('fall.cancelWindowMs', HUB_RULES.fallCancelWindowMs),
    heartRateCriticalForMs: num('heartRate.critical.forMs', HUB_RULES.heartRateCriticalForMs),
    apneaForMs: num('apnea.critical.forMs', HUB_RULES.apneaForMs),
    spo2ForMs: num('spo2.major.forMs', HUB_RULES.spo2ForMs),
    nightReturnWithinMs: num('bedExit.returnWithinMs', HUB_RULES.nightReturnWithinMs),
    presenceDebounceMs: num('presence.returnDebounceMs', HUB_RULES.presenceDebounceMs),
    offlineSilentAfterMs: num('deviceOffline.silentAfterMs', HUB_RULES.offlineSilentAfterMs),
    offlineGraceMs: num('deviceOffline.graceMs', HUB_RULES.offlineGraceMs),
    lowBatteryThreshold: num('lowBattery.threshold', HUB_RULES.lowBatteryThreshold),
  };
}
