import type { Prng } from './prng';

/**
 * Ornstein-Uhlenbeck noise: a mean-reverting random walk, so consecutive samples are correlated
 * like real beat-to-beat variability instead of jumping independently every second.
 */
export class OuNoise {
  private value = 0;

  constructor(
    private readonly rng: Prng,
    private readonly sd: number,
    private readonly tauMs: number,
  ) {}

  step(dtMs: number): number {
    const a = Math.exp(-Math.max(0, dtMs) / this.tauMs);
    this.value = a * this.value + Math.sqrt(1 - a * a) * this.rng.normal(0, this.sd);
    return this.value;
  }
}
