import type { NightSummary } from './night-summary';
import { addNights, type NightDate } from './night-window';
import { median, round1, scaledMad } from './statistics';

export interface BaselineOptions {
  /** Nights before the one assessed that the baseline looks back over. */
  windowNights: number;
  /** Nights with data needed in that window before any baseline (and so any flag) exists. */
  minNights: number;
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = { windowNights: 28, minNights: 7 };

/** A figure's usual value for this resident: median, and spread as a scaled MAD. */
export interface BaselineMetric {
  median: number;
  mad: number;
  nights: number;
}

export const BASELINE_METRICS = ['bedExits', 'timeInBedMs', 'restingHeartRate', 'restingRespirationRate'] as const;
export type BaselineMetricName = (typeof BASELINE_METRICS)[number];

export type Baseline =
  | { ready: false; night: NightDate; nights: number; required: number }
  | {
      ready: true;
      night: NightDate;
      nights: number;
      from: NightDate;
      to: NightDate;
      metrics: Record<BaselineMetricName, BaselineMetric | null>;
    };

/** The figure a baseline tracks, or null when the night lacks it. */
export function metricOf(summary: NightSummary, name: BaselineMetricName): number | null {
  switch (name) {
    case 'bedExits':
      return summary.bedExits.count;
    case 'timeInBedMs':
      return summary.presence.timeInBedMs;
    case 'restingHeartRate':
      return summary.heartRate?.median ?? null;
    case 'restingRespirationRate':
      return summary.respirationRate?.median ?? null;
  }
}

/**
 * The resident's usual night as seen before `night`: nights with data among the `windowNights`
 * before it. Medians and MADs rather than means and standard deviations, so a single odd night
 * (a hospital stay, a visit from family) neither drags the baseline nor inflates its spread.
 */
export function computeBaseline(
  previous: readonly NightSummary[],
  night: NightDate,
  options: Partial<BaselineOptions> = {},
): Baseline {
  const { windowNights, minNights } = { ...DEFAULT_BASELINE_OPTIONS, ...options };
  const from = addNights(night, -windowNights);
  const to = addNights(night, -1);
  // One summary per night: should a caller pass two, the later in the list wins.
  const byNight = new Map<NightDate, NightSummary>();
  for (const s of previous) if (s.hasData && s.night >= from && s.night <= to) byNight.set(s.night, s);
  const nights = [...byNight.values()];
  if (nights.length < minNights) return { ready: false, night, nights: nights.length, required: minNights };

  const metrics = {} as Record<BaselineMetricName, BaselineMetric | null>;
  for (const name of BASELINE_METRICS) {
    const values = nights.map((s) => metricOf(s, name)).filter((v): v is number => v !== null);
    if (values.length < minNights) {
      metrics[name] = null;
      continue;
    }
    const centre = median(values);
    metrics[name] = { median: round1(centre), mad: round1(scaledMad(values, centre)), nights: values.length };
  }
  return { ready: true, night, nights: nights.length, from, to, metrics };
}
