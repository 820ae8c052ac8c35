import type { DeviceKind } from '@bedside/contracts';
import type { TelemetryPoint } from '../telemetry-point';

export const MINUTE_MS = 60_000;

/** Bumped whenever what a rollup holds changes; rows of another version are not read. */
export const ROLLUP_VERSION = 1;

/**
 * The two thresholds a rollup applies as it folds (the nightly summary's definitions): vital
 * signs count with signalQuality at or above minSignalQuality (or none), and an in-bed reading
 * with movement at or above restlessMovement is restless. A summary with other definitions
 * cannot use rollups and reads the raw samples.
 */
export const ROLLUP_DEFINITIONS = { minSignalQuality: 50, restlessMovement: 30 } as const;
export type RollupDefinitions = { minSignalQuality: number; restlessMovement: number };

/** The sample fields a rollup reads. */
export type RollupSample = Pick<
  TelemetryPoint,
  | 'deviceId'
  | 'kind'
  | 'ts'
  | 'heartRate'
  | 'respirationRate'
  | 'inBed'
  | 'movement'
  | 'signalQuality'
  | 'spo2'
  | 'worn'
>;

/** value -> how many samples had it. Keys are the exact values, so medians and ranges stay exact. */
export type Histogram = Record<string, number>;

/**
 * One device's samples of one minute, reduced to what the nightly summary reads: the instant and
 * state of every sample as runs (so presence, absences, gaps and the usual interval come out as
 * from the samples themselves) and the vital signs as histograms.
 */
export interface MinuteRollup {
  deviceId: string;
  bedId: string;
  kind: DeviceKind;
  /** Start of the minute, ms since the epoch. */
  minute: number;
  /** Distinct instants folded in. */
  samples: number;
  /**
   * Runs of samples, flattened 4 numbers a run: offset of the first sample from the minute (ms),
   * step between samples (ms), count, state code (see stateCode). A steady 1 Hz minute is one run.
   */
  runs: number[];
  /** Mattress, in bed, signal good enough, not 0. */
  heartRate: Histogram;
  respirationRate: Histogram;
  /** Wearable, not marked unworn. */
  spo2: Histogram;
  /** Movement of in-bed readings that carry one. */
  movementSum: number;
  movementCount: number;
}

/**
 * State of a sample as the summary reads it: inBed (0 absent, 1 false, 2 true) + 3 x worn (same)
 * + 9 when it is an in-bed reading at or above the restless movement.
 */
export function stateCode(p: RollupSample, def: RollupDefinitions): number {
  const inBed = tri(p.inBed);
  const restless = p.inBed === true && typeof p.movement === 'number' && p.movement >= def.restlessMovement;
  return inBed + 3 * tri(p.worn) + (restless ? 9 : 0);
}
const tri = (v: boolean | null | undefined) => (v === true ? 2 : v === false ? 1 : 0);
export const inBedOfCode = (code: number): boolean | null => bool(code % 3);
export const wornOfCode = (code: number): boolean | null => bool(Math.floor(code / 3) % 3);
export const restlessOfCode = (code: number): boolean => code >= 9;
const bool = (t: number) => (t === 2 ? true : t === 1 ? false : null);

export const minuteOf = (ts: number) => Math.floor(ts / MINUTE_MS) * MINUTE_MS;

/**
 * A minute being folded: its instants and states decoded, sorted. Folding a sample whose instant
 * is already there changes nothing (the first one wins, as in the raw store), so folding the same
 * batch twice, or a resend, counts it once.
 */
export class MinuteFold {
  private ts: number[] = [];
  private codes: number[] = [];

  private constructor(
    readonly deviceId: string,
    readonly bedId: string,
    readonly kind: DeviceKind,
    readonly minute: number,
    private readonly heartRate: Histogram,
    private readonly respirationRate: Histogram,
    private readonly spo2: Histogram,
    private movementSum: number,
    private movementCount: number,
  ) {}

  static empty(deviceId: string, bedId: string, kind: DeviceKind, minute: number): MinuteFold {
    return new MinuteFold(deviceId, bedId, kind, minute, {}, {}, {}, 0, 0);
  }

  static from(r: MinuteRollup): MinuteFold {
    const f = new MinuteFold(
      r.deviceId,
      r.bedId,
      r.kind,
      r.minute,
      { ...r.heartRate },
      { ...r.respirationRate },
      { ...r.spo2 },
      r.movementSum,
      r.movementCount,
    );
    for (let i = 0; i < r.runs.length; i += 4) {
      const [offset, step, n, code] = [r.runs[i], r.runs[i + 1], r.runs[i + 2], r.runs[i + 3]];
      for (let k = 0; k < n; k++) {
        f.ts.push(r.minute + offset + k * step);
        f.codes.push(code);
      }
    }
    return f;
  }

  get samples(): number {
    return this.ts.length;
  }

  /** Folds one sample of this device and minute; false when its instant was already there. */
  add(p: RollupSample, def: RollupDefinitions): boolean {
    const ts = this.ts;
    let at = ts.length;
    // Samples come in time order almost always: look from the end.
    while (at > 0 && ts[at - 1] > p.ts) at--;
    if (at > 0 && ts[at - 1] === p.ts) return false;
    ts.splice(at, 0, p.ts);
    this.codes.splice(at, 0, stateCode(p, def));
    if (p.kind === 'mattress' && p.inBed === true) {
      const quality = typeof p.signalQuality !== 'number' || p.signalQuality >= def.minSignalQuality;
      if (quality && typeof p.heartRate === 'number' && p.heartRate > 0) count(this.heartRate, p.heartRate);
      if (quality && typeof p.respirationRate === 'number' && p.respirationRate > 0)
        count(this.respirationRate, p.respirationRate);
    }
    if (p.kind === 'wearable' && p.worn !== false && typeof p.spo2 === 'number') count(this.spo2, p.spo2);
    if (p.inBed === true && typeof p.movement === 'number') {
      this.movementSum += p.movement;
      this.movementCount++;
    }
    return true;
  }

  toRollup(): MinuteRollup {
    const runs: number[] = [];
    const { ts, codes } = this;
    let i = 0;
    while (i < ts.length) {
      const step = i + 1 < ts.length && codes[i + 1] === codes[i] ? ts[i + 1] - ts[i] : 0;
      let n = 1;
      while (step > 0 && i + n < ts.length && codes[i + n] === codes[i] && ts[i + n] - ts[i + n - 1] === step) n++;
      runs.push(ts[i] - this.minute, n > 1 ? step : 0, n, codes[i]);
      i += n;
    }
    return {
      deviceId: this.deviceId,
      bedId: this.bedId,
      kind: this.kind,
      minute: this.minute,
      samples: ts.length,
      runs,
      heartRate: this.heartRate,
      respirationRate: this.respirationRate,
      spo2: this.spo2,
      movementSum: this.movementSum,
      movementCount: this.movementCount,
    };
  }
}

function count(h: Histogram, value: number): void {
  const key = String(value);
  h[key] = (h[key] ?? 0) + 1;
}

/**
 * Folds samples into per-(bed, device, minute) rollups, in the order given (of two samples with
 * one instant the first wins). `bedOf` names the bed a sample belongs to; samples without one
 * are left out. Returns the rollups, oldest minute first per device, and how many samples
 * repeated an instant already folded.
 */
export function foldMinutes<P extends RollupSample>(
  samples: readonly P[],
  bedOf: (p: P) => string | null,
  def: RollupDefinitions = ROLLUP_DEFINITIONS,
): { rollups: MinuteRollup[]; duplicates: number } {
  const folds = new Map<string, MinuteFold>();
  let duplicates = 0;
  let f: MinuteFold | undefined;
  for (const p of samples) {
    const bedId = bedOf(p);
    if (bedId === null) continue;
    const minute = minuteOf(p.ts);
    // Samples mostly come device by device in time order: the fold of the one before usually fits.
    if (!f || f.minute !== minute || f.deviceId !== p.deviceId || f.bedId !== bedId) {
      const key = `${bedId}|${p.deviceId}|${minute}`;
      f = folds.get(key);
      if (!f) folds.set(key, (f = MinuteFold.empty(p.deviceId, bedId, p.kind, minute)));
    }
    if (!f.add(p, def)) duplicates++;
  }
  const rollups = [...folds.values()].map((f) => f.toRollup());
  rollups.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.minute - b.minute));
  return { rollups, duplicates };
}
