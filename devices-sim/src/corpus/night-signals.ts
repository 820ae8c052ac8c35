import type { DeviceKind } from '@bedside/contracts';
import { circadian } from '../models/circadian';
import { OuNoise } from '../models/ou-noise';
import { Prng, clamp, round1 } from '../models/prng';
import { bedStateAt, type SleepStage } from '../models/sleep-plan';
import type { ButtonSample, MattressSample, WearableSample } from '../models/model.types';
import { movementIn, type MovementProfile } from '../models/stage-movement';
import type { Artefact, ArtefactKind, BedNight, TrueEvent } from './corpus.types';

/** Movement by sleep stage as the corpus is calibrated (sources in its README). */
const CORPUS_MOVEMENT: MovementProfile = {
  awake: { range: [2, 20] },
  light: { range: [0, 4], burst: { chance: 0.03, range: [10, 35] } },
  deep: { range: [0, 2] },
  rem: { range: [0, 2], burst: { chance: 0.02, range: [5, 15] } },
};

const HOUR = 3600_000;
const HR_OFFSET: Record<SleepStage, number> = { awake: 5, light: 0, deep: -5, rem: 3 };
const RR_OFFSET: Record<SleepStage, number> = { awake: 1.5, light: 0, deep: -1, rem: 1 };

/** Ranges the normal signals stay in (artefact values such as HR 0 aside). */
export const NORMAL_RANGES = {
  heartRate: [48, 110],
  respirationRate: [10, 24],
  spo2: [93, 100],
} as const;

export type SampleAt<S> = (t: number) => S;

/** The value of a signal during a true event of this bed at t, if any. */
function eventAt(night: BedNight, t: number): TrueEvent | undefined {
  return night.events.find((e) => e.type !== 'night_absence' && e.type !== 'fall' && t >= e.start && t < e.end);
}

function artefactAt(
  night: BedNight,
  device: DeviceKind,
  kinds: readonly ArtefactKind[],
  t: number,
): Artefact | undefined {
  return night.artefacts.find((a) => a.device === device && t >= a.start && t < a.end && kinds.includes(a.value));
}

/**
 * Under-mattress sensor, one sample per call, calls in time order: heart and breathing rate by
 * sleep stage and time of night with correlated noise, movement, signal quality, and the
 * artefacts and true events the night declares.
 */
export function mattressSampler(night: BedNight): SampleAt<MattressSample> {
  const rng = new Prng(night.seed).fork('mattress');
  const hrNoise = new OuNoise(rng.fork('hr'), 2.5, 60_000);
  const rrNoise = new OuNoise(rng.fork('rr'), 0.8, 90_000);
  const r = night.resident;
  let last: number | null = null;
  return (t) => {
    const dt = last === null ? 0 : t - last;
    last = t;
    const hrN = hrNoise.step(dt);
    const rrN = rrNoise.step(dt);
    const stage = bedStateAt(night.sleep, t);
    if (stage === 'out') return { ts: t, inBed: false, movement: 0 };
    const c = circadian(t, night.utcOffsetMinutes);
    const event = eventAt(night, t);
    if (event) {
      const heartRate =
        event.type === 'bradycardia'
          ? round1(36 + rng.normal(0, 0.4))
          : event.type === 'tachycardia'
            ? round1(150 + rng.normal(0, 2))
            : round1(clamp(r.restingHeartRate - 2 + hrN, 48, 110));
      const respirationRate = event.type === 'apnea' ? 0 : round1(clamp(r.restingRespiration + rrN, 10, 24));
      return {
        ts: t,
        inBed: true,
        heartRate,
        respirationRate,
        movement: round1(rng.uniform(0, 1.5)),
        signalQuality: Math.round(rng.uniform(82, 96)),
      };
    }
    const artefact = artefactAt(night, 'mattress', ['lie-down', 'getting-up', 'turnover'], t);
    if (artefact?.value === 'turnover') {
      return {
        ts: t,
        inBed: true,
        heartRate: 0,
        respirationRate: 0,
        movement: round1(rng.uniform(40, 90)),
        signalQuality: Math.round(rng.uniform(8, 29)),
      };
    }
    if (artefact) {
      return {
        ts: t,
        inBed: true,
        heartRate: 0,
        respirationRate: 0,
        movement: round1(rng.uniform(2, 10)),
        signalQuality: Math.round(rng.uniform(55, 90)),
      };
    }
    const movement = round1(movementIn(rng, stage, CORPUS_MOVEMENT));
    const heartRate = round1(clamp(r.restingHeartRate + 3 * c + HR_OFFSET[stage] + hrN + movement * 0.08, 48, 110));
    const respirationRate = round1(
      clamp(r.restingRespiration + 0.8 * c + RR_OFFSET[stage] + rrN * (stage === 'rem' ? 1.5 : 1), 10, 24),
    );
    const signalQuality = Math.round(clamp(94 - movement * 0.6 + rng.normal(0, 3), 40, 100));
    return { ts: t, inBed: true, heartRate, respirationRate, movement, signalQuality };
  };
}

/**
 * Wrist wearable: heart rate of the same person (its own noise), SpO2 around the resident's
 * baseline with motion dips and a low reading as it comes off, a few steps on toilet trips,
 * worn state and battery.
 */
export function wearableSampler(night: BedNight): SampleAt<WearableSample> {
  const rng = new Prng(night.seed).fork('wearable');
  const hrNoise = new OuNoise(rng.fork('hr'), 3, 45_000);
  const spo2Noise = new OuNoise(rng.fork('spo2'), 0.6, 120_000);
  const r = night.resident;
  const battery0 = rng.uniform(50, 100);
  const drainPerHour = rng.uniform(1, 2);
  let last: number | null = null;
  return (t) => {
    const dt = last === null ? 0 : t - last;
    last = t;
    const hrN = hrNoise.step(dt);
    const spo2N = spo2Noise.step(dt);
    const battery = round1(clamp(battery0 - (drainPerHour * (t - night.start)) / HOUR, 0, 100));
    if (!night.worn.some((w) => t >= w.start && t < w.end)) return { ts: t, worn: false, battery };
    const stage = bedStateAt(night.sleep, t);
    const c = circadian(t, night.utcOffsetMinutes);
    const walking = stage === 'out';
    const event = eventAt(night, t);
    let heartRate = Math.round(clamp(r.restingHeartRate + 3 * c + (walking ? 15 : HR_OFFSET[stage]) + hrN, 48, 110));
    let spo2 = round1(clamp(r.spo2Baseline - (walking || stage === 'awake' ? 0 : 0.5) + spo2N, 93, 100));
    if (event?.type === 'bradycardia') heartRate = Math.round(36 + rng.normal(0, 0.5));
    if (event?.type === 'tachycardia') heartRate = Math.round(150 + rng.normal(0, 2));
    if (event?.type === 'desaturation') spo2 = Math.round(rng.uniform(86, 89.5));
    const artefact = event ? undefined : artefactAt(night, 'wearable', ['spo2-motion-dip', 'removal-reading'], t);
    if (artefact) spo2 = Math.round(artefact.value === 'removal-reading' ? rng.uniform(88, 91) : rng.uniform(84, 91));
    const steps = walking ? Math.round((dt / 60_000) * rng.uniform(30, 60)) : 0;
    return { ts: t, worn: true, heartRate, spo2, steps, battery };
  };
}

/** Call button: a battery level now and then. */
export function buttonSampler(night: BedNight): SampleAt<ButtonSample> {
  const battery = round1(new Prng(night.seed).fork('button').uniform(70, 100));
  return (t) => ({ ts: t, battery });
}
