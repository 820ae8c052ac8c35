import type { Prng } from './prng';
import type { SleepStage } from './sleep-plan';

/** Movement (0-100) in bed during one sleep stage: a range, and the odds and range of a burst (a turnover). */
export interface StageMovement {
  range: readonly [number, number];
  burst?: { chance: number; range: readonly [number, number] };
}
export type MovementProfile = Readonly<Record<SleepStage, StageMovement>>;

/** One movement reading for the stage; draws from the generator in the same order for every profile. */
export function movementIn(rng: Prng, stage: SleepStage, profile: MovementProfile): number {
  const { range, burst } = profile[stage];
  const [low, high] = burst && rng.chance(burst.chance) ? burst.range : range;
  return rng.uniform(low, high);
}
