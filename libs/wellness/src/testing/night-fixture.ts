import { fromLocal } from '@bedside/rules';
import type { WellnessSample } from '../domain/night-summary';
import { addNights, nightWindow, parseNightDate, type NightDate } from '../domain/night-window';

/** "HH:MM" on a night: hours from 12 on are the evening of its date, earlier ones the next morning. */
export function atNight(night: NightDate, hhmm: string, timeZone: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  const date = parseNightDate(hour >= 12 ? night : addNights(night, 1));
  return fromLocal({ ...date, hour, minute }, timeZone);
}

export interface SyntheticNight {
  night: NightDate;
  timeZone: string;
  mattressId?: string;
  /** Also emit wearable samples, worn between these local times. */
  wearable?: { deviceId: string; from: string; to: string; spo2: number };
  intervalMs?: number;
  bedtime?: string;
  rise?: string;
  /** Out of bed at a local time for some minutes. */
  absences?: { at: string; minutes: number }[];
  /** Stretches with no sample at all (a device off, Wi-Fi down). */
  silences?: { at: string; minutes: number }[];
  heartRate?: number;
  respirationRate?: number;
  signalQuality?: number;
}

/**
 * A night of samples at a fixed cadence over the whole window, as a bed would send it. Vital
 * signs wobble by a deterministic ±2 around their set values so percentiles have a spread.
 */
export function syntheticNight(o: SyntheticNight): WellnessSample[] {
  const tz = o.timeZone;
  const step = o.intervalMs ?? 60_000;
  const window = nightWindow(o.night, tz);
  const bed = atNight(o.night, o.bedtime ?? '22:00', tz);
  const rise = atNight(o.night, o.rise ?? '07:00', tz);
  const spans = (list: { at: string; minutes: number }[] = []) =>
    list.map((a) => ({ from: atNight(o.night, a.at, tz), to: atNight(o.night, a.at, tz) + a.minutes * 60_000 }));
  const absences = spans(o.absences);
  const silences = spans(o.silences);
  const within = (t: number, list: { from: number; to: number }[]) => list.some((s) => t >= s.from && t < s.to);
  const out: WellnessSample[] = [];
  let i = 0;
  for (let t = window.start; t < window.end; t += step, i++) {
    if (within(t, silences)) continue;
    const inBed = t >= bed && t < rise && !within(t, absences);
    const wobble = (i % 5) - 2;
    out.push({
      deviceId: o.mattressId ?? 'mattress-1',
      kind: 'mattress',
      ts: t,
      inBed,
      heartRate: inBed ? (o.heartRate ?? 62) + wobble : 0,
      respirationRate: inBed ? (o.respirationRate ?? 14) + (wobble > 0 ? 1 : 0) : 0,
      movement: inBed ? (i % 30 === 0 ? 40 : 3) : 0,
      signalQuality: inBed ? (o.signalQuality ?? 90) : 10,
    });
    if (o.wearable) {
      const worn = t >= atNight(o.night, o.wearable.from, tz) && t < atNight(o.night, o.wearable.to, tz);
      out.push({
        deviceId: o.wearable.deviceId,
        kind: 'wearable',
        ts: t,
        worn,
        ...(worn && { heartRate: 64 + wobble, spo2: o.wearable.spo2 + (wobble > 0 ? 1 : 0) }),
      });
    }
  }
  return out;
}
