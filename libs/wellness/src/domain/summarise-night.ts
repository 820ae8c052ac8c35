import {
  ROLLUP_DEFINITIONS,
  foldMinutes,
  inBedOfCode,
  restlessOfCode,
  wornOfCode,
  type Histogram,
  type MinuteRollup,
} from '@bedside/telemetry';
import {
  MAX_LISTED,
  SUMMARY_VERSION,
  type DeviceCoverage,
  type Gap,
  type NightAlarm,
  type NightSummary,
  type WellnessDeviceKind,
  type WellnessSample,
} from './night-summary';
import { AbsenceTracker } from './absence-tracker';
import { inCoreHours } from './core-hours';
import { DEFAULT_NIGHT_HOURS, nightWindow, type NightDate, type NightHours } from './night-window';
import { distributionOfCounts, medianOfCounts, round1 } from './statistics';

/** What the figures of a summary mean; every threshold here is documented in the README. */
export interface SummaryDefinitions {
  /** Vital signs count only with signalQuality at or above this (a reading without one counts). */
  minSignalQuality: number;
  /** A silence longer than gapFactor x the device's usual interval is a gap. */
  gapFactor: number;
  /** Interval assumed for a device with fewer than two samples in the night. */
  fallbackIntervalMs: number;
  /** Bed exits are counted when they begin in [coreStartHour, coreEndHour) local time. */
  coreStartHour: number;
  coreEndHour: number;
  /** Shorter absences are sensor flicker or a turn at the edge of the mattress, not exits. */
  minAbsenceMs: number;
  /** Movement index (0-100) at or above which time in bed counts as restless. */
  restlessMovement: number;
}

export const DEFAULT_SUMMARY_DEFINITIONS: SummaryDefinitions = {
  minSignalQuality: ROLLUP_DEFINITIONS.minSignalQuality,
  gapFactor: 2,
  fallbackIntervalMs: 60_000,
  coreStartHour: 22,
  coreEndHour: 6,
  minAbsenceMs: 60_000,
  restlessMovement: ROLLUP_DEFINITIONS.restlessMovement,
};

export interface SummariseOptions {
  night: NightDate;
  timeZone: string;
  hours?: NightHours;
  /** Devices bound to the bed: one that sent nothing shows as a whole-night gap. */
  devices?: readonly { deviceId: string; kind: WellnessDeviceKind }[];
  definitions?: Partial<SummaryDefinitions>;
}

/** A stretch of samples at one step in one state (see MinuteRollup.runs), at absolute instants. */
interface Run {
  t0: number;
  step: number;
  n: number;
  code: number;
}

interface DeviceSeries {
  deviceId: string;
  kind: WellnessDeviceKind;
  runs: Run[];
  samples: number;
  intervalMs: number | null;
  heartRate: Map<number, number>;
  respirationRate: Map<number, number>;
  spo2: Map<number, number>;
  movementSum: number;
  movementCount: number;
}

/**
 * One resident's night, from the samples of their bed's devices and the bed's alarms. Samples
 * outside the night window are ignored, as are repeats of a (device, ts) already seen (the
 * first one wins, as in the store), so the answer does not depend on order or redelivery.
 * The samples are folded into minute rollups as ingest does and summarised from those, so a
 * night summarised from raw samples and one from stored rollups are the same computation.
 */
export function summariseNight(
  samples: readonly WellnessSample[],
  alarms: readonly NightAlarm[],
  options: SummariseOptions,
): NightSummary {
  const def = { ...DEFAULT_SUMMARY_DEFINITIONS, ...options.definitions };
  const window = nightWindow(options.night, options.timeZone, options.hours ?? DEFAULT_NIGHT_HOURS);
  const inWindow = samples.filter((p) => p.ts >= window.start && p.ts < window.end);
  const { rollups, duplicates } = foldMinutes(inWindow, () => '', def);
  return summariseRollups(rollups, alarms, options, duplicates);
}

/**
 * The night from the bed's minute rollups (those outside the window are ignored). They must have
 * been folded with this summary's signal-quality and restless thresholds (ROLLUP_DEFINITIONS).
 */
export function summariseRollups(
  rollups: readonly MinuteRollup[],
  alarms: readonly NightAlarm[],
  options: SummariseOptions,
  duplicates = 0,
): NightSummary {
  const def = { ...DEFAULT_SUMMARY_DEFINITIONS, ...options.definitions };
  const window = nightWindow(options.night, options.timeZone, options.hours ?? DEFAULT_NIGHT_HOURS);
  const durationMs = window.end - window.start;
  const series = seriesByDevice(rollups, window.start, window.end, options.devices ?? []);

  const mattresses = series.filter((s) => s.kind === 'mattress');
  const wearables = series.filter((s) => s.kind === 'wearable');
  // One mattress describes the bed; should a bed carry two, the one that reported most.
  const mattress = mostSamples(mattresses.filter((s) => s.runs.some((r) => inBedOfCode(r.code) !== null)));
  let timeInBedMs = 0;
  let timeOutOfBedMs = 0;
  let restlessMs = 0;
  let firstInBedAt: number | null = null;
  let lastInBedEnd: number | null = null;
  const absences = new AbsenceTracker();
  if (mattress) {
    forEachHeld(mattress, inBedOfCode, window.end, def, (start, end, heldMs, inBed, code) => {
      absences.add(start, end, inBed);
      if (!inBed) {
        timeOutOfBedMs += heldMs;
        return;
      }
      timeInBedMs += heldMs;
      firstInBedAt ??= start;
      lastInBedEnd = end;
      if (restlessOfCode(code)) restlessMs += heldMs;
    });
  }
  const exits = absences
    .finish()
    .filter((a) => a.durationMs >= def.minAbsenceMs && inCoreHours(a.start, options.timeZone, def));

  const wearable = mostSamples(wearables);
  let wornMs = 0;
  if (wearable)
    forEachHeld(
      wearable,
      wornOfCode,
      window.end,
      def,
      (_start, _end, heldMs, worn) => void (worn && (wornMs += heldMs)),
    );

  const nightAlarms = alarms
    .filter((a) => !a.suppressed && a.startedAt >= window.start && a.startedAt < window.end)
    .sort((a, b) => a.startedAt - b.startedAt);
  const byKind: Record<string, number> = {};
  for (const a of nightAlarms) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;

  return {
    version: SUMMARY_VERSION,
    night: options.night,
    timeZone: options.timeZone,
    window: { start: window.start, end: window.end, durationMs },
    hasData: mattresses.some((m) => m.samples > 0),
    samples: { mattress: count(mattresses), wearable: count(wearables), duplicates },
    presence: {
      timeInBedMs,
      timeOutOfBedMs,
      unknownMs: durationMs - timeInBedMs - timeOutOfBedMs,
      firstInBedAt,
      finalRiseAt: lastInBedEnd !== null && lastInBedEnd < window.end ? lastInBedEnd : null,
    },
    bedExits: {
      count: exits.length,
      totalMs: exits.reduce((sum, a) => sum + a.durationMs, 0),
      longestMs: exits.reduce((longest, a) => Math.max(longest, a.durationMs), 0),
      absences: exits.slice(0, MAX_LISTED),
    },
    heartRate: distributionOfCounts(merged(mattresses, (s) => s.heartRate)),
    respirationRate: distributionOfCounts(merged(mattresses, (s) => s.respirationRate)),
    movement: {
      meanInBed: mattress?.movementCount ? round1(mattress.movementSum / mattress.movementCount) : null,
      restlessMs,
    },
    spo2: distributionOfCounts(merged(wearables, (s) => s.spo2)),
    wearable: wearables.length ? { wornMs } : null,
    devices: series.filter((s) => s.kind !== 'button').map((s) => coverageOf(s, window.start, window.end, def)),
    alarms: {
      count: nightAlarms.length,
      byKind,
      items: nightAlarms
        .slice(0, MAX_LISTED)
        .map((a) => ({ id: a.id, kind: a.kind, severity: a.severity, startedAt: a.startedAt })),
    },
  };
}

function seriesByDevice(
  rollups: readonly MinuteRollup[],
  start: number,
  end: number,
  bound: readonly { deviceId: string; kind: WellnessDeviceKind }[],
): DeviceSeries[] {
  const byDevice = new Map<string, DeviceSeries>();
  const seriesOf = (deviceId: string, kind: WellnessDeviceKind) => {
    let s = byDevice.get(deviceId);
    if (!s)
      byDevice.set(
        deviceId,
        (s = {
          deviceId,
          kind,
          runs: [],
          samples: 0,
          intervalMs: null,
          heartRate: new Map(),
          respirationRate: new Map(),
          spo2: new Map(),
          movementSum: 0,
          movementCount: 0,
        }),
      );
    return s;
  };
  for (const d of bound) seriesOf(d.deviceId, d.kind);
  const ordered = rollups.filter((r) => r.minute >= start && r.minute < end).sort((a, b) => a.minute - b.minute);
  for (const r of ordered) {
    const s = seriesOf(r.deviceId, r.kind);
    for (let i = 0; i < r.runs.length; i += 4)
      s.runs.push({ t0: r.minute + r.runs[i], step: r.runs[i + 1], n: r.runs[i + 2], code: r.runs[i + 3] });
    s.samples += r.samples;
    addCounts(s.heartRate, r.heartRate);
    addCounts(s.respirationRate, r.respirationRate);
    addCounts(s.spo2, r.spo2);
    s.movementSum += r.movementSum;
    s.movementCount += r.movementCount;
  }
  for (const s of byDevice.values()) s.intervalMs = medianStep(s.runs);
  return [...byDevice.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}

/**
 * Each reading of the state holds until the next one, unless a gap follows: then it holds for
 * one usual interval and the rest is unknown. Visited run by run (readings of one state at one
 * step): `heldMs` is the time its readings stand for, `end` the end of its last one.
 */
function forEachHeld(
  s: DeviceSeries,
  state: (code: number) => boolean | null,
  windowEnd: number,
  def: SummaryDefinitions,
  visit: (start: number, end: number, heldMs: number, on: boolean, code: number) => void,
): void {
  const interval = s.intervalMs ?? def.fallbackIntervalMs;
  const gapAfter = def.gapFactor * interval;
  const runs = s.runs;
  let i = nextReading(runs, state, 0);
  while (i < runs.length) {
    const r = runs[i];
    const j = nextReading(runs, state, i + 1);
    // Within the run every reading is followed by one `step` later.
    const inner = (r.n - 1) * (r.step <= gapAfter ? r.step : Math.min(interval, r.step));
    const last = r.t0 + (r.n - 1) * r.step;
    const next = j < runs.length ? runs[j].t0 : undefined;
    const end =
      next !== undefined && next - last <= gapAfter ? next : Math.min(last + interval, next ?? windowEnd, windowEnd);
    visit(r.t0, end, inner + end - last, state(r.code) === true, r.code);
    i = j;
  }
}

function nextReading(runs: readonly Run[], state: (code: number) => boolean | null, from: number): number {
  let i = from;
  while (i < runs.length && state(runs[i].code) === null) i++;
  return i;
}

/** Silences between consecutive samples (and the window edges) longer than gapFactor x the usual interval. */
function coverageOf(s: DeviceSeries, start: number, end: number, def: SummaryDefinitions): DeviceCoverage {
  const threshold = def.gapFactor * (s.intervalMs ?? def.fallbackIntervalMs);
  const gaps: Gap[] = [];
  let gapCount = 0;
  let gapTotalMs = 0;
  let longestGapMs = 0;
  const silence = (from: number, to: number) => {
    if (to - from <= threshold) return;
    gapCount++;
    gapTotalMs += to - from;
    longestGapMs = Math.max(longestGapMs, to - from);
    if (gaps.length < MAX_LISTED) gaps.push({ from, to });
  };
  let previous = start;
  for (const r of s.runs) {
    silence(previous, r.t0);
    if (r.n > 1 && r.step > threshold)
      for (let k = 1; k < r.n; k++) silence(r.t0 + (k - 1) * r.step, r.t0 + k * r.step);
    previous = r.t0 + (r.n - 1) * r.step;
  }
  silence(previous, end);
  return {
    deviceId: s.deviceId,
    kind: s.kind,
    samples: s.samples,
    usualIntervalMs: s.intervalMs,
    coveredMs: end - start - gapTotalMs,
    uptime: Math.round(((end - start - gapTotalMs) / (end - start)) * 1000) / 1000,
    gapCount,
    gapTotalMs,
    longestGapMs,
    gaps,
  };
}

function mostSamples(series: readonly DeviceSeries[]): DeviceSeries | undefined {
  let best: DeviceSeries | undefined;
  for (const s of series) if (s.samples > 0 && (!best || s.samples > best.samples)) best = s;
  return best;
}

/**
 * Median spacing of the samples. Devices send at a fixed cadence, so the spacings take few
 * distinct values: counting them beats sorting one number per sample.
 */
function medianStep(runs: readonly Run[]): number | null {
  const counts = new Map<number, number>();
  const add = (step: number, times: number) => counts.set(step, (counts.get(step) ?? 0) + times);
  let n = 0;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (r.n > 1) add(r.step, r.n - 1);
    if (i > 0) add(r.t0 - (runs[i - 1].t0 + (runs[i - 1].n - 1) * runs[i - 1].step), 1);
    n += r.n;
  }
  return n < 2 ? null : medianOfCounts(counts);
}

function merged(series: readonly DeviceSeries[], of: (s: DeviceSeries) => Map<number, number>): Map<number, number> {
  if (series.length === 1) return of(series[0]);
  const out = new Map<number, number>();
  for (const s of series) for (const [v, c] of of(s)) out.set(v, (out.get(v) ?? 0) + c);
  return out;
}

function addCounts(into: Map<number, number>, h: Histogram): void {
  for (const key in h) {
    const v = Number(key);
    into.set(v, (into.get(v) ?? 0) + h[key]);
  }
}

const count = (series: readonly DeviceSeries[]) => series.reduce((sum, s) => sum + s.samples, 0);
