import { sleepDayStart } from './circadian';
import { Prng, hashSeed } from './prng';

const MIN = 60_000;
const HOUR = 60 * MIN;

export type SleepStage = 'awake' | 'light' | 'deep' | 'rem';
/** Where the resident is and, in bed, which sleep stage. `out` = out of bed. */
export type BedState = SleepStage | 'out';

export interface Span<T> {
  start: number;
  end: number;
  value: T;
}

/** One night: bedtime to getting up, as contiguous spans, bed exits included as `out`. */
export interface NightPlan {
  dayStart: number;
  bedtime: number;
  wake: number;
  spans: Span<BedState>[];
  exits: Span<'out'>[];
}

/**
 * Builds one night from (seed, day) alone, so the plan is the same whichever hour a simulation
 * starts at. Sleep cycles of 80-110 min: light, deep, light, REM, with deep sleep shrinking and
 * REM growing through the night; 0-2 short bed exits (toilet) with a return.
 */
export interface NightTimes {
  /** Mean bedtime and wake time, local hours after noon (10.5 = 22:30). */
  bedtimeAfterNoonH: number;
  wakeAfterNoonH: number;
  /** Spread of both, minutes (one standard deviation). */
  sdMinutes: number;
}

const DEFAULT_NIGHT_TIMES: NightTimes = { bedtimeAfterNoonH: 10.5, wakeAfterNoonH: 18.5, sdMinutes: 25 };

export function planNight(
  seed: number,
  t: number,
  utcOffsetMinutes: number,
  times: NightTimes = DEFAULT_NIGHT_TIMES,
): NightPlan {
  const dayStart = sleepDayStart(t, utcOffsetMinutes);
  const rng = new Prng(hashSeed(`${seed}:night:${dayStart}`));
  // dayStart is local noon: by default bedtime ~22:30, wake ~06:30 local.
  const bedtime = dayStart + times.bedtimeAfterNoonH * HOUR + rng.normal(0, times.sdMinutes * MIN);
  const wake = dayStart + times.wakeAfterNoonH * HOUR + rng.normal(0, times.sdMinutes * MIN);
  const spans: Span<BedState>[] = [];
  const onset = bedtime + rng.uniform(8, 30) * MIN;
  spans.push({ start: bedtime, end: onset, value: 'awake' });
  let at = onset;
  for (let cycle = 0; at < wake; cycle++) {
    const len = rng.uniform(80, 110) * MIN;
    const deep = Math.max(0.04, 0.35 - 0.08 * cycle);
    const rem = Math.min(0.4, 0.12 + 0.07 * cycle);
    const light = 1 - deep - rem;
    for (const [value, share] of [
      ['light', light * 0.6],
      ['deep', deep],
      ['light', light * 0.4],
      ['rem', rem],
    ] as const) {
      const end = Math.min(wake, at + share * len);
      if (end > at) spans.push({ start: at, end, value });
      at = end;
    }
  }
  const exits: Span<'out'>[] = [];
  const count = rng.chance(0.25) ? 0 : rng.chance(0.6) ? 1 : 2;
  for (let i = 0; i < count; i++) {
    const start = onset + HOUR + rng.next() * Math.max(0, wake - onset - 2 * HOUR);
    const end = start + rng.uniform(3, 12) * MIN;
    if (!exits.some((e) => start < e.end + 30 * MIN && end > e.start - 30 * MIN))
      exits.push({ start, end, value: 'out' });
  }
  exits.sort((a, b) => a.start - b.start);
  return { dayStart, bedtime, wake, spans, exits };
}

export function bedStateAt(plan: NightPlan, t: number): BedState {
  if (t < plan.bedtime || t >= plan.wake) return 'out';
  if (plan.exits.some((e) => t >= e.start && t < e.end)) return 'out';
  return plan.spans.find((s) => t >= s.start && t < s.end)?.value ?? 'awake';
}
