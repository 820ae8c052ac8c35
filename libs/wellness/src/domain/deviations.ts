import type { Baseline, BaselineMetric, BaselineMetricName } from './baseline';
import { metricOf } from './baseline';
import type { NightSummary } from './night-summary';
import { round1 } from './statistics';

export type DeviationCode =
  'no_data' | 'bed_exits_up' | 'resting_heart_rate_up' | 'resting_respiration_rate_up' | 'time_in_bed_down';

/** An advisory signal for a visit, never an alarm: the night departs from the resident's own baseline. */
export interface Deviation {
  code: DeviationCode;
  /** The night's figure (null for no_data). */
  value: number | null;
  /** The baseline median it is compared with. */
  baseline: number | null;
  /** The limit the value crossed. */
  threshold: number | null;
}

/** A rise flags when value >= median + max(minChange, madFactor x MAD). */
export interface RiseThreshold {
  minChange: number;
  madFactor: number;
}

/** A fall flags when value <= median - max(minFraction x median, madFactor x MAD). */
export interface FallThreshold {
  minFraction: number;
  madFactor: number;
}

export interface DeviationThresholds {
  bedExits: RiseThreshold;
  /** beats per minute */
  restingHeartRate: RiseThreshold;
  /** breaths per minute */
  restingRespirationRate: RiseThreshold;
  timeInBed: FallThreshold;
}

export const DEFAULT_DEVIATION_THRESHOLDS: DeviationThresholds = {
  bedExits: { minChange: 2, madFactor: 3 },
  restingHeartRate: { minChange: 8, madFactor: 3 },
  restingRespirationRate: { minChange: 4, madFactor: 3 },
  timeInBed: { minFraction: 0.3, madFactor: 3 },
};

/**
 * How the night departs from the baseline. Nothing is flagged before the baseline is ready (the
 * warm-up), so a new bed does not send a worker out over a device still being set up.
 */
export function deviationsOf(
  summary: NightSummary,
  baseline: Baseline,
  thresholds: DeviationThresholds = DEFAULT_DEVIATION_THRESHOLDS,
): Deviation[] {
  if (!baseline.ready) return [];
  if (!summary.hasData) return [{ code: 'no_data', value: null, baseline: null, threshold: null }];
  const out: Deviation[] = [];
  const rise = (code: DeviationCode, name: BaselineMetricName, t: RiseThreshold) => {
    const base = baseline.metrics[name];
    const value = metricOf(summary, name);
    if (!base || value === null) return;
    const threshold = round1(base.median + Math.max(t.minChange, t.madFactor * base.mad));
    if (value >= threshold) out.push({ code, value, baseline: base.median, threshold });
  };
  const fall = (code: DeviationCode, name: BaselineMetricName, t: FallThreshold) => {
    const base: BaselineMetric | null = baseline.metrics[name];
    const value = metricOf(summary, name);
    if (!base || value === null) return;
    const threshold = Math.round(base.median - Math.max(t.minFraction * base.median, t.madFactor * base.mad));
    if (value <= threshold) out.push({ code, value, baseline: base.median, threshold });
  };
  rise('bed_exits_up', 'bedExits', thresholds.bedExits);
  rise('resting_heart_rate_up', 'restingHeartRate', thresholds.restingHeartRate);
  rise('resting_respiration_rate_up', 'restingRespirationRate', thresholds.restingRespirationRate);
  fall('time_in_bed_down', 'timeInBedMs', thresholds.timeInBed);
  return out;
}

/**
 * The defaults with the given parts replaced: what an organisation's partial change amounts to.
 * A part given as undefined (an unset DTO field) keeps the default.
 */
export function mergeThresholds(
  base: DeviationThresholds,
  change: { [K in keyof DeviationThresholds]?: Partial<DeviationThresholds[K]> },
): DeviationThresholds {
  return {
    bedExits: { ...base.bedExits, ...defined(change.bedExits) },
    restingHeartRate: { ...base.restingHeartRate, ...defined(change.restingHeartRate) },
    restingRespirationRate: { ...base.restingRespirationRate, ...defined(change.restingRespirationRate) },
    timeInBed: { ...base.timeInBed, ...defined(change.timeInBed) },
  };
}

function defined<T extends object>(part: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
