import type { EnvDto } from '@bedside/config';
import { DEFAULT_BASELINE_OPTIONS, type BaselineOptions } from '../domain/baseline';
import { DEFAULT_DEVIATION_THRESHOLDS, type DeviationThresholds } from '../domain/deviations';
import { DEFAULT_NIGHT_HOURS, type NightHours } from '../domain/night-window';
import { DEFAULT_SUMMARY_DEFINITIONS, type SummaryDefinitions } from '../domain/summarise-night';

/** Wellness settings: the job's timing from the validated environment, the definitions at their documented defaults. */
export class WellnessConfig {
  constructor(
    readonly sweepMs: number,
    readonly graceMs: number,
    readonly catchUpNights: number,
    readonly hours: NightHours = DEFAULT_NIGHT_HOURS,
    readonly definitions: SummaryDefinitions = DEFAULT_SUMMARY_DEFINITIONS,
    readonly baseline: BaselineOptions = DEFAULT_BASELINE_OPTIONS,
    readonly thresholds: DeviationThresholds = DEFAULT_DEVIATION_THRESHOLDS,
    /** Late telemetry for nights older than this does not reopen them (a device clock gone wrong). */
    readonly maxLateNights = 90,
    /** Nights computed at once by a sweep: the database, not the CPU, is the limit. */
    readonly concurrency = 2,
  ) {}

  static fromEnv(env: EnvDto): WellnessConfig {
    return new WellnessConfig(env.WELLNESS_SWEEP_MS, env.WELLNESS_GRACE_MS, env.WELLNESS_CATCH_UP_NIGHTS);
  }
}
