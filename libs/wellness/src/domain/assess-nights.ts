import { computeBaseline, type Baseline, type BaselineOptions } from './baseline';
import { DEFAULT_DEVIATION_THRESHOLDS, deviationsOf, type Deviation, type DeviationThresholds } from './deviations';
import type { NightSummary } from './night-summary';

export interface AssessedNight {
  summary: NightSummary;
  baseline: Baseline;
  deviations: Deviation[];
}

/**
 * Each night against the baseline of the nights before it. `history` holds the nights to assess
 * and the window before them (oldest first or not: each baseline picks its own nights).
 */
export function assessNights(
  history: readonly NightSummary[],
  nights: readonly NightSummary[],
  options: { baseline?: Partial<BaselineOptions>; thresholds?: DeviationThresholds } = {},
): AssessedNight[] {
  return nights.map((summary) => {
    const baseline = computeBaseline(history, summary.night, options.baseline);
    return {
      summary,
      baseline,
      deviations: deviationsOf(summary, baseline, options.thresholds ?? DEFAULT_DEVIATION_THRESHOLDS),
    };
  });
}
