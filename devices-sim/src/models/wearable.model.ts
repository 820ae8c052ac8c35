import { localHour } from './circadian';
import { OuNoise } from './ou-noise';
import { Prng, clamp, round1 } from './prng';
import type { ResidentModel } from './resident.model';
import type { ModelEvent, ModelOutput, SignalModel, WearableSample } from './model.types';

const HOUR = 3600_000;

/**
 * Wrist wearable: heart rate (sleep stage, circadian rhythm, walking), SpO2, steps while
 * walking, worn state and a battery that drains when worn and is charged (off the wrist) when
 * low, plus a morning shower without it.
 */
export class WearableModel implements SignalModel<WearableSample> {
  readonly kind = 'wearable' as const;
  private readonly rng: Prng;
  private readonly hrNoise: OuNoise;
  private readonly spo2Noise: OuNoise;
  private last: number | null = null;
  private battery: number;
  private charging = false;
  private worn: boolean | null = null;
  private readonly drainPerHour: number;

  constructor(
    private readonly resident: ResidentModel,
    seed: number,
    opts: { battery?: number; drainPerHour?: number } = {},
  ) {
    this.rng = new Prng(seed);
    this.hrNoise = new OuNoise(this.rng.fork('hr'), 3, 45_000);
    this.spo2Noise = new OuNoise(this.rng.fork('spo2'), 0.7, 120_000);
    this.battery = opts.battery ?? this.rng.uniform(55, 100);
    this.drainPerHour = opts.drainPerHour ?? this.rng.uniform(1.2, 2);
  }

  next(t: number): ModelOutput<WearableSample> {
    const dt = this.last === null ? 1000 : Math.max(0, t - this.last);
    this.last = t;
    const state = this.resident.stateAt(t);
    const hour = localHour(t, this.resident.utcOffsetMinutes);
    const plan = this.resident.nightPlan(t);
    const showering = t >= plan.wake + 0.25 * HOUR && t < plan.wake + 0.6 * HOUR;

    if (this.charging) {
      this.battery = Math.min(100, this.battery + (45 * dt) / HOUR);
      if (this.battery >= 95) this.charging = false;
    } else if (this.battery < 20 && !state.asleep && hour > 7 && hour < 21) {
      this.charging = true;
    } else {
      this.battery = Math.max(0, this.battery - (this.drainPerHour * dt) / HOUR);
    }
    const worn = !this.charging && !showering && this.battery > 0;
    const events: ModelEvent[] = [];
    if (this.worn !== null && worn !== this.worn)
      events.push({ type: worn ? 'wearable.worn' : 'wearable.removed', ts: t });
    this.worn = worn;
    const hrNoise = this.hrNoise.step(dt);
    const spo2Noise = this.spo2Noise.step(dt);
    const battery = round1(this.battery);
    if (!worn) return { sample: { ts: t, worn: false, battery }, events };

    const stageOffset = state.bed === 'deep' ? -6 : state.bed === 'rem' ? 4 : state.bed === 'light' ? 0 : 6;
    const heartRate = clamp(
      Math.round(this.resident.restingHeartRate + 3 * state.circadian + stageOffset + 30 * state.activity + hrNoise),
      42,
      130,
    );
    const spo2 = clamp(round1(96.8 - (state.asleep ? 1 : 0) + spo2Noise), 93, 100);
    const cadence = state.activity > 0 ? 60 + 50 * state.activity : 0; // steps per minute
    const steps = Math.round(((cadence * dt) / 60_000) * (0.9 + 0.2 * this.rng.next()));
    return { sample: { ts: t, worn: true, heartRate, spo2, steps, battery }, events };
  }
}
