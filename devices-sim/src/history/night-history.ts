import { fromLocal } from '@bedside/rules';
import type { MattressSample, WearableSample } from '../models/model.types';
import { Prng } from '../models/prng';

/**
 * Weeks of past nights for a bed, as its devices would upload a buffer: seeded, with realistic
 * night-to-night variation (bedtime, rise, a night-time toilet visit or two, resting heart and
 * respiration rate), and three kinds of resident:
 * - steady: varies around their own usual night;
 * - deteriorating: over the last third of the history gets up more often and longer, and their
 *   resting heart rate creeps up (what a wellness baseline should catch);
 * - often away: spends about a third of the nights elsewhere (at a child's home), the mattress
 *   reporting an empty bed all night.
 */
export type HistoryProfile = 'steady' | 'deteriorating' | 'often_away';

export interface NightPlan {
  /** Local date the night starts on. */
  night: string;
  away: boolean;
  bedtime: number;
  rise: number;
  /** Out of bed: start and length, ms. */
  absences: { at: number; ms: number }[];
  heartRate: number;
  respirationRate: number;
  /** The wearable is worn between these instants (null: not worn that night). */
  worn: { from: number; to: number } | null;
}

const MIN = 60_000;
const HOUR = 3_600_000;

/** "YYYY-MM-DD" plus days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A local time of the night: from 13:00 on the evening of its date, earlier the next morning (noon ends it). */
const at = (night: string, hour: number, minute: number, timeZone: string) => {
  const day = hour > 12 ? night : addDays(night, 1);
  const [year, month, d] = day.split('-').map(Number);
  return fromLocal({ year, month, day: d, hour: hour % 24, minute }, timeZone);
};

/** The nights `first`..`first + count - 1` of one resident, reproducible from the seed. */
export function planNights(o: {
  seed: number;
  profile: HistoryProfile;
  first: string;
  count: number;
  timeZone: string;
}): NightPlan[] {
  const rng = new Prng(o.seed);
  // The resident's own usual night.
  const usualBed = 21.5 + rng.uniform(0, 1.5);
  const usualRise = 6 + rng.uniform(0, 1.2);
  const usualHr = rng.uniform(56, 70);
  const usualRr = rng.uniform(12, 16);
  const plans: NightPlan[] = [];
  for (let i = 0; i < o.count; i++) {
    const night = addDays(o.first, i);
    const decline = o.profile === 'deteriorating' ? Math.max(0, (i - (o.count * 2) / 3) / (o.count / 3)) : 0;
    const bedH = usualBed + rng.normal(0, 0.3);
    const riseH = usualRise + rng.normal(0, 0.3) - decline * 0.8;
    const bedtime = at(night, Math.floor(bedH), Math.floor((bedH % 1) * 60), o.timeZone);
    const rise = at(night, Math.floor(riseH), Math.floor((riseH % 1) * 60), o.timeZone);
    const away = o.profile === 'often_away' && rng.chance(0.3);
    const exits = rng.int(0, 1) + (rng.chance(0.15) ? 1 : 0) + Math.round(decline * 4);
    const absences: NightPlan['absences'] = [];
    for (let k = 0; k < exits; k++) {
      // Spread over the core night (23:00-05:00), in order, each 4-12 minutes (longer when declining).
      const start = at(night, 23, 0, o.timeZone) + ((k + rng.uniform(0.1, 0.9)) * 6 * HOUR) / exits;
      absences.push({ at: start, ms: Math.round((rng.uniform(4, 12) + decline * 15) * MIN) });
    }
    plans.push({
      night,
      away,
      bedtime,
      rise,
      absences,
      heartRate: Math.round(usualHr + rng.normal(0, 1.5) + decline * 12),
      respirationRate: Math.round(usualRr + rng.normal(0, 0.6) + decline * 2),
      worn: away || rng.chance(0.1) ? null : { from: bedtime + 20 * MIN, to: rise - 15 * MIN },
    });
  }
  return plans;
}

/** One night's samples every `intervalMs` over 18:00-12:00 local, the mattress's and the wearable's. */
export function nightSamples(
  plan: NightPlan,
  timeZone: string,
  intervalMs = 5 * MIN,
  seed = 1,
): { mattress: MattressSample[]; wearable: WearableSample[] } {
  const rng = new Prng(seed);
  const start = at(plan.night, 18, 0, timeZone);
  const end = at(plan.night, 12, 0, timeZone);
  const mattress: MattressSample[] = [];
  const wearable: WearableSample[] = [];
  for (let t = start; t < end; t += intervalMs) {
    const out = plan.absences.some((a) => t >= a.at && t < a.at + a.ms);
    const inBed = !plan.away && t >= plan.bedtime && t < plan.rise && !out;
    mattress.push(
      inBed
        ? {
            ts: t,
            inBed: true,
            heartRate: Math.round(plan.heartRate + rng.normal(0, 2)),
            respirationRate: Math.round(plan.respirationRate + rng.normal(0, 0.8)),
            movement: rng.chance(0.05) ? rng.int(30, 60) : rng.int(0, 8),
            signalQuality: rng.int(75, 98),
          }
        : { ts: t, inBed: false, heartRate: 0, respirationRate: 0, movement: 0, signalQuality: rng.int(5, 20) },
    );
    const worn = plan.worn !== null && t >= plan.worn.from && t < plan.worn.to;
    wearable.push(
      worn
        ? { ts: t, worn: true, heartRate: Math.round(plan.heartRate + 2 + rng.normal(0, 2)), spo2: rng.int(94, 98) }
        : { ts: t, worn: false },
    );
  }
  return { mattress, wearable };
}
