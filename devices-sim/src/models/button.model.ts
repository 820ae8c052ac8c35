import { Prng, round1 } from './prng';
import type { ButtonSample, ModelEvent, ModelOutput, SignalModel } from './model.types';

const HOUR = 3600_000;

/**
 * Call button: a coin cell that drains slowly, and presses as a Poisson process at
 * `pressesPerDay` (0 by default, so a fleet does not page the call centre unless asked).
 */
export class ButtonModel implements SignalModel<ButtonSample> {
  readonly kind = 'button' as const;
  private readonly rng: Prng;
  private battery: number;
  private readonly drainPerHour: number;
  private last: number | null = null;

  constructor(
    seed: number,
    private readonly opts: { battery?: number; pressesPerDay?: number; drainPerHour?: number } = {},
  ) {
    this.rng = new Prng(seed);
    this.battery = opts.battery ?? this.rng.uniform(70, 100);
    this.drainPerHour = opts.drainPerHour ?? this.rng.uniform(0.002, 0.01);
  }

  next(t: number): ModelOutput<ButtonSample> {
    const dt = this.last === null ? 0 : Math.max(0, t - this.last);
    this.last = t;
    this.battery = Math.max(0, this.battery - (this.drainPerHour * dt) / HOUR);
    const events: ModelEvent[] = [];
    const rate = (this.opts.pressesPerDay ?? 0) / (24 * HOUR);
    if (rate > 0 && this.rng.chance(1 - Math.exp(-rate * dt))) events.push({ type: 'button.pressed', ts: t });
    return { sample: { ts: t, battery: round1(this.battery) }, events };
  }
}
