import type { DeviceKind } from '@bedside/contracts';
import type { ScenarioContext } from './scenario-context';

export interface ScenarioOptions {
  cancelled: boolean;
}

/** What the scenario promises the hub will do. */
export type Expectation =
  | { type: 'alarm'; kind: string; note: string }
  | { type: 'no-alarm'; kind: string; note: string }
  | { type: 'errors'; note: string };

export interface ScenarioDefinition {
  name: string;
  summary: string;
  devices: DeviceKind[];
  /** Household time zone to provision with (night-absence needs local night now). */
  timeZone?: () => string;
  expect: (o: ScenarioOptions) => Expectation;
  /** Real-time estimate at time scale 1, for the plan printed up front. */
  estimateMs: (o: ScenarioOptions) => number;
  /** Sends everything; returns once the expectation can be judged. */
  run: (ctx: ScenarioContext, o: ScenarioOptions) => Promise<void>;
}

/** Hub rule timings the scenarios are built around (default rule set; real time, not scaled). */
export const HUB_RULES = {
  warmupMs: 60_000,
  fallCancelWindowMs: 30_000,
  heartRateCriticalForMs: 30_000,
  apneaForMs: 30_000,
  spo2ForMs: 60_000,
  nightReturnWithinMs: 20 * 60_000,
  presenceDebounceMs: 30_000,
  offlineSilentAfterMs: 5 * 60_000,
  lowBatteryThreshold: 15,
} as const;

/** Margin added to every hub timer before declaring the alarm missing. */
export const MARGIN_MS = 20_000;
