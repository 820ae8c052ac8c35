import { circadian, localHour } from './circadian';
import { Prng, hashSeed } from './prng';
import { bedStateAt, planNight, type BedState, type NightPlan } from './sleep-plan';

export interface ResidentOptions {
  seed: number;
  /** Household's offset from UTC, minutes (Asia/Shanghai: 480). */
  utcOffsetMinutes?: number;
}

/** What the person is doing at an instant; shared by the devices of one bed. */
export interface ResidentState {
  bed: BedState;
  asleep: boolean;
  /** Walking intensity 0..1 (0 in bed or resting). */
  activity: number;
  /** Circadian factor, -1 (04:00) .. 1 (16:00). */
  circadian: number;
}

/**
 * The resident behind one bed: a resting heart and breathing rate, a nightly sleep plan and
 * daytime walking bouts. Pure functions of (seed, time): the mattress and wearable models of the
 * same bed see the same person.
 */
export class ResidentModel {
  readonly restingHeartRate: number;
  readonly restingRespiration: number;
  readonly utcOffsetMinutes: number;
  private plan: NightPlan | null = null;

  constructor(private readonly opts: ResidentOptions) {
    const rng = new Prng(hashSeed(`${opts.seed}:resident`));
    this.restingHeartRate = rng.uniform(58, 72);
    this.restingRespiration = rng.uniform(12.5, 16);
    this.utcOffsetMinutes = opts.utcOffsetMinutes ?? 480;
  }

  nightPlan(t: number): NightPlan {
    if (!this.plan || t < this.plan.dayStart || t >= this.plan.dayStart + 86_400_000)
      this.plan = planNight(this.opts.seed, t, this.utcOffsetMinutes);
    return this.plan;
  }

  stateAt(t: number): ResidentState {
    const bed = bedStateAt(this.nightPlan(t), t);
    const asleep = bed === 'light' || bed === 'deep' || bed === 'rem';
    return {
      bed,
      asleep,
      activity: bed === 'out' ? this.activityAt(t) : 0,
      circadian: circadian(t, this.utcOffsetMinutes),
    };
  }

  /** Walking in 5-minute blocks during the day (07:00-21:30 local), more in the morning and afternoon. */
  private activityAt(t: number): number {
    const hour = localHour(t, this.utcOffsetMinutes);
    if (hour < 7 || hour > 21.5) return 0;
    const block = Math.floor(t / 300_000);
    const rng = new Prng(hashSeed(`${this.opts.seed}:walk:${block}`));
    const busy = (hour >= 8 && hour < 11) || (hour >= 15 && hour < 18) ? 0.35 : 0.15;
    return rng.chance(busy) ? rng.uniform(0.3, 1) : 0;
  }
}
