/**
 * The nightly summary computed sample by sample, as it was before summaries were folded into
 * minute rollups: an independent reference the run-based computation is checked against.
 * Test code only.
 */
import {
  MAX_LISTED,
  SUMMARY_VERSION,
  type DeviceCoverage,
  type Gap,
  type NightAlarm,
  type NightSummary,
  type WellnessDeviceKind,
  type WellnessSample,
} from '../domain/night-summary';
import { AbsenceTracker } from '../domain/absence-tracker';
import { inCoreHours } from '../domain/core-hours';
import { DEFAULT_NIGHT_HOURS, nightWindow } from '../domain/night-window';
import { distributionOf, round1 } from '../domain/statistics';
import { DEFAULT_SUMMARY_DEFINITIONS, type SummariseOptions, type SummaryDefinitions } from '../domain/summarise-night';

interface DeviceSeries {
  deviceId: string;
  kind: WellnessDeviceKind;
  samples: WellnessSample[];
  intervalMs: number | null;
}

/**
 * One resident's night, from the samples of their bed's devices and the bed's alarms. Samples
 * outside the night window are ignored, as are repeats of a (device, ts) already seen (the
 * first one wins, as in the store), so the answer does not depend on order or redelivery.
 */
export function summariseNightPerSample(
  samples: readonly WellnessSample[],
  alarms: readonly NightAlarm[],
  options: SummariseOptions,
): NightSummary {
  const def = { ...DEFAULT_SUMMARY_DEFINITIONS, ...options.definitions };
  const window = nightWindow(options.night, options.timeZone, options.hours ?? DEFAULT_NIGHT_HOURS);
  const durationMs = window.end - window.start;
  const { series, duplicates } = seriesByDevice(samples, window.start, window.end, options.devices ?? []);

  const mattresses = series.filter((s) => s.kind === 'mattress');
  const wearables = series.filter((s) => s.kind === 'wearable');
  // One mattress describes the bed; should a bed carry two, the one that reported most.
  const mattress = mostSamples(mattresses.filter((s) => s.samples.some((p) => isBool(p.inBed))));
  let timeInBedMs = 0;
  let timeOutOfBedMs = 0;
  let movementSum = 0;
  let movementCount = 0;
  let restlessMs = 0;
  let firstInBedAt: number | null = null;
  let lastInBedEnd: number | null = null;
  const absences = new AbsenceTracker();
  if (mattress) {
    forEachHeld(mattress, inBedOf, window.end, def, (start, end, inBed, sample) => {
      absences.add(start, end, inBed);
      if (!inBed) {
        timeOutOfBedMs += end - start;
        return;
      }
      timeInBedMs += end - start;
      firstInBedAt ??= start;
      lastInBedEnd = end;
      const movement = sample.movement;
      if (typeof movement === 'number') {
        movementSum += movement;
        movementCount++;
        if (movement >= def.restlessMovement) restlessMs += end - start;
      }
    });
  }
  const exits = absences
    .finish()
    .filter((a) => a.durationMs >= def.minAbsenceMs && inCoreHours(a.start, options.timeZone, def));

  const heartRates: number[] = [];
  const respirationRates: number[] = [];
  for (const m of mattresses) {
    for (const p of m.samples) {
      if (p.inBed !== true) continue;
      if (typeof p.signalQuality === 'number' && p.signalQuality < def.minSignalQuality) continue;
      if (typeof p.heartRate === 'number' && p.heartRate > 0) heartRates.push(p.heartRate);
      if (typeof p.respirationRate === 'number' && p.respirationRate > 0) respirationRates.push(p.respirationRate);
    }
  }

  const spo2: number[] = [];
  for (const w of wearables)
    for (const p of w.samples) if (p.worn !== false && typeof p.spo2 === 'number') spo2.push(p.spo2);
  const wearable = mostSamples(wearables);
  let wornMs = 0;
  if (wearable)
    forEachHeld(wearable, wornOf, window.end, def, (start, end, worn) => void (worn && (wornMs += end - start)));

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
    hasData: mattresses.some((m) => m.samples.length > 0),
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
    heartRate: distributionOf(heartRates),
    respirationRate: distributionOf(respirationRates),
    movement: { meanInBed: movementCount ? round1(movementSum / movementCount) : null, restlessMs },
    spo2: distributionOf(spo2),
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
  samples: readonly WellnessSample[],
  start: number,
  end: number,
  bound: readonly { deviceId: string; kind: WellnessDeviceKind }[],
): { series: DeviceSeries[]; duplicates: number } {
  const byDevice = new Map<string, DeviceSeries>();
  for (const d of bound)
    byDevice.set(d.deviceId, { deviceId: d.deviceId, kind: d.kind, samples: [], intervalMs: null });
  for (const p of samples) {
    if (p.ts < start || p.ts >= end) continue;
    let s = byDevice.get(p.deviceId);
    if (!s) byDevice.set(p.deviceId, (s = { deviceId: p.deviceId, kind: p.kind, samples: [], intervalMs: null }));
    s.samples.push(p);
  }
  let duplicates = 0;
  for (const s of byDevice.values()) {
    // Stable sort: of two samples with one ts, the first given stays first and is kept. Store
    // reads come sorted already; checking costs one pass, sorting objects far more.
    if (!isSorted(s.samples)) s.samples.sort((a, b) => a.ts - b.ts);
    const unique: WellnessSample[] = [];
    for (const p of s.samples) {
      if (unique.length && unique[unique.length - 1].ts === p.ts) duplicates++;
      else unique.push(p);
    }
    s.samples = unique;
    s.intervalMs = medianStep(unique);
  }
  return {
    series: [...byDevice.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0)),
    duplicates,
  };
}

/**
 * Each reading of the state holds until the next one, unless a gap follows: then it holds for
 * one usual interval and the rest is unknown. Visited stretch by stretch, one per reading, so
 * that per-reading figures (movement) are weighted by the time they stand for.
 */
function forEachHeld(
  s: DeviceSeries,
  state: (p: WellnessSample) => boolean | null | undefined,
  windowEnd: number,
  def: SummaryDefinitions,
  visit: (start: number, end: number, on: boolean, sample: WellnessSample) => void,
): void {
  const interval = s.intervalMs ?? def.fallbackIntervalMs;
  const gapAfter = def.gapFactor * interval;
  const samples = s.samples;
  let i = nextReading(samples, state, 0);
  while (i < samples.length) {
    const p = samples[i];
    const j = nextReading(samples, state, i + 1);
    const next = j < samples.length ? samples[j].ts : undefined;
    const end =
      next !== undefined && next - p.ts <= gapAfter ? next : Math.min(p.ts + interval, next ?? windowEnd, windowEnd);
    visit(p.ts, end, state(p) === true, p);
    i = j;
  }
}

function nextReading(
  samples: readonly WellnessSample[],
  state: (p: WellnessSample) => boolean | null | undefined,
  from: number,
): number {
  let i = from;
  while (i < samples.length && !isBool(state(samples[i]))) i++;
  return i;
}

function coverageOf(s: DeviceSeries, start: number, end: number, def: SummaryDefinitions): DeviceCoverage {
  const threshold = def.gapFactor * (s.intervalMs ?? def.fallbackIntervalMs);
  const gaps: Gap[] = [];
  let previous = start;
  for (const p of s.samples) {
    if (p.ts - previous > threshold) gaps.push({ from: previous, to: p.ts });
    previous = p.ts;
  }
  if (end - previous > threshold) gaps.push({ from: previous, to: end });
  const lengths = gaps.map((g) => g.to - g.from);
  const gapTotalMs = lengths.reduce((a, b) => a + b, 0);
  return {
    deviceId: s.deviceId,
    kind: s.kind,
    samples: s.samples.length,
    usualIntervalMs: s.intervalMs,
    coveredMs: end - start - gapTotalMs,
    uptime: Math.round(((end - start - gapTotalMs) / (end - start)) * 1000) / 1000,
    gapCount: gaps.length,
    gapTotalMs,
    longestGapMs: lengths.reduce((a, b) => Math.max(a, b), 0),
    gaps: gaps.slice(0, MAX_LISTED),
  };
}

function mostSamples(series: readonly DeviceSeries[]): DeviceSeries | undefined {
  let best: DeviceSeries | undefined;
  for (const s of series) if (s.samples.length > 0 && (!best || s.samples.length > best.samples.length)) best = s;
  return best;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const inBedOf = (p: WellnessSample) => p.inBed;
const wornOf = (p: WellnessSample) => p.worn;

/**
 * Median spacing of sorted samples. Devices send at a fixed cadence, so the spacings take few
 * distinct values: counting them beats sorting one number per sample.
 */
function medianStep(samples: readonly WellnessSample[]): number | null {
  if (samples.length < 2) return null;
  const counts = new Map<number, number>();
  for (let i = 1; i < samples.length; i++) {
    const step = samples[i].ts - samples[i - 1].ts;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  const steps = Float64Array.from(counts.keys()).sort();
  const n = samples.length - 1;
  // The value at a 0-based rank, walking the counts in order.
  const at = (rank: number) => {
    let seen = 0;
    for (const step of steps) {
      seen += counts.get(step)!;
      if (rank < seen) return step;
    }
    return steps[steps.length - 1];
  };
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

function isSorted(samples: readonly WellnessSample[]): boolean {
  for (let i = 1; i < samples.length; i++) if (samples[i].ts < samples[i - 1].ts) return false;
  return true;
}
const count = (series: readonly DeviceSeries[]) => series.reduce((sum, s) => sum + s.samples.length, 0);
