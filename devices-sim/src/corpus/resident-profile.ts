import { Prng, clamp } from '../models/prng';
import type { ResidentProfile, UploadMode } from './corpus.types';

/** Shares of residents by number of toilet trips a night (0, 1, 2, 3): nocturia is common after 65. */
const TOILET_TRIP_SHARES = [0.2, 0.4, 0.3, 0.1];

/**
 * Draws one resident and their devices' behaviour. Ranges and their sources are listed in
 * README.md beside this file.
 */
export function drawResidentProfile(rng: Prng): ResidentProfile {
  const age = Math.round(rng.uniform(65, 95));
  const mattress: UploadMode = rng.chance(0.3)
    ? { kind: 'stream', sampleEveryMs: 1000 }
    : { kind: 'batch', sampleEveryMs: 1000, uploadEveryMs: Math.round(rng.uniform(60, 120)) * 1000 };
  const wearable: UploadMode = rng.chance(0.4)
    ? { kind: 'stream', sampleEveryMs: 5000 }
    : { kind: 'batch', sampleEveryMs: 15_000, uploadEveryMs: 120_000 };
  const wornAtNight = rng.chance(0.8);
  const removesAtFraction = wornAtNight && rng.chance(0.12) ? rng.uniform(0.3, 0.8) : null;
  const flaky = rng.next();
  return {
    age,
    restingHeartRate: rng.uniform(52, 78),
    restingRespiration: rng.uniform(12, 18),
    // Older residents sit lower in the normal range.
    spo2Baseline: clamp(98 - (age - 65) * 0.07 + rng.normal(0, 0.8), 94.5, 98),
    turnoversPerHour: rng.uniform(1, 4),
    toiletTrips: pickShare(rng, TOILET_TRIP_SHARES),
    wearable: { wornAtNight, removesAtFraction },
    upload: { mattress, wearable, button: { kind: 'stream', sampleEveryMs: 60_000 } },
    flakyLink: flaky < 0.03 ? 'mattress' : flaky < 0.06 ? 'wearable' : null,
  };
}

function pickShare(rng: Prng, shares: number[]): number {
  let r = rng.next();
  for (let i = 0; i < shares.length; i++) {
    if (r < shares[i]) return i;
    r -= shares[i];
  }
  return shares.length - 1;
}
