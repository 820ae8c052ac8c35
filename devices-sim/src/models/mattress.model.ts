import { OuNoise } from './ou-noise';
import { Prng, clamp, round1 } from './prng';
import type { ResidentModel } from './resident.model';
import type { SleepStage } from './sleep-plan';
import type { MattressSample, ModelEvent, ModelOutput, SignalModel } from './model.types';
import { movementIn, type MovementProfile } from './stage-movement';

const MATTRESS_MOVEMENT: MovementProfile = {
  awake: { range: [8, 40] },
  light: { range: [0, 4], burst: { chance: 0.04, range: [15, 55] } },
  deep: { range: [0, 2] },
  rem: { range: [0, 2], burst: { chance: 0.02, range: [5, 15] } },
};

const HR_OFFSET: Record<SleepStage, number> = { awake: 6, light: 0, deep: -6, rem: 4 };
const RR_OFFSET: Record<SleepStage, number> = { awake: 2, light: 0, deep: -1.5, rem: 1.5 };

/**
 * Under-mattress sensor: heart and breathing rate following the sleep stage and the circadian
 * rhythm, correlated noise, movement and signal quality; empty bed (no vitals) when the
 * resident is up, with bed.exit / bed.return events at the transitions.
 */
export class MattressModel implements SignalModel<MattressSample> {
  readonly kind = 'mattress' as const;
  private readonly rng: Prng;
  private readonly hrNoise: OuNoise;
  private readonly rrNoise: OuNoise;
  private last: number | null = null;
  private inBed: boolean | null = null;

  constructor(
    private readonly resident: ResidentModel,
    seed: number,
  ) {
    this.rng = new Prng(seed);
    this.hrNoise = new OuNoise(this.rng.fork('hr'), 2.5, 60_000);
    this.rrNoise = new OuNoise(this.rng.fork('rr'), 0.8, 90_000);
  }

  next(t: number): ModelOutput<MattressSample> {
    const dt = this.last === null ? 1000 : t - this.last;
    this.last = t;
    const state = this.resident.stateAt(t);
    const hrNoise = this.hrNoise.step(dt);
    const rrNoise = this.rrNoise.step(dt);
    const events: ModelEvent[] = [];
    const inBed = state.bed !== 'out';
    if (this.inBed !== null && inBed !== this.inBed) events.push({ type: inBed ? 'bed.return' : 'bed.exit', ts: t });
    this.inBed = inBed;
    if (state.bed === 'out') return { sample: { ts: t, inBed: false, movement: 0 }, events };

    const stage = state.bed;
    const movement = clamp(round1(movementIn(this.rng, stage, MATTRESS_MOVEMENT)), 0, 100);
    const heartRate = clamp(
      round1(this.resident.restingHeartRate + 3 * state.circadian + HR_OFFSET[stage] + hrNoise + movement * 0.08),
      42,
      125,
    );
    const respirationRate = clamp(
      round1(
        this.resident.restingRespiration +
          0.8 * state.circadian +
          RR_OFFSET[stage] +
          rrNoise * (stage === 'rem' ? 1.6 : 1),
      ),
      9,
      24,
    );
    const signalQuality = clamp(Math.round(94 - movement * 0.7 + this.rng.normal(0, 3)), 20, 100);
    return { sample: { ts: t, inBed: true, heartRate, respirationRate, movement, signalQuality }, events };
  }
}
