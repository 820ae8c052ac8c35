import { bedNights } from './corpus';
import { TRUE_EVENT_TYPES, type BedNight, type TrueEvent, type TrueEventType } from './corpus.types';

/** An alarm as the call centre saw it, times on the hub's (virtual) clock. */
export interface ObservedAlarm {
  id: string;
  bedIndex: number;
  kind: string;
  severity: string;
  raisedAt: number;
  /** When it reached the alarm stream. */
  seenAt: number;
  subject?: string | null;
}

export type AlarmVerdict = 'true' | 'late' | 'repeat' | 'false';

export interface ClassifiedAlarm extends ObservedAlarm {
  verdict: AlarmVerdict;
  event?: { type: TrueEventType; onset: number; delayMs: number };
  /** For a false or repeated alarm: what the night was doing just before it. */
  cause?: string;
}

export interface Targets {
  maxFalseAlarmsPerBedNight: number;
  minSensitivity: number;
}

export const DEFAULT_TARGETS: Targets = { maxFalseAlarmsPerBedNight: 0.05, minSensitivity: 1 };

export interface EventTypeFigures {
  events: number;
  inWindow: number;
  late: number;
  missed: number;
  sensitivity: number | null;
  delayMs: { min: number; median: number; max: number } | null;
}

export interface CorpusFigures {
  beds: number;
  hours: number;
  bedNights: number;
  alarms: number;
  falseAlarms: {
    total: number;
    perBedNight: number;
    byKind: Record<string, { count: number; perBedNight: number }>;
    byCause: Record<string, number>;
  };
  sensitivity: Partial<Record<TrueEventType, EventTypeFigures>>;
  /** Lowest sensitivity over the event types present (null: no true events). */
  minSensitivity: number | null;
  targets: Targets & { falseAlarmsMet: boolean; sensitivityMet: boolean };
  ok: boolean;
}

/** How long after a window closes an alarm still counts as a late detection rather than a false one. */
const LATE_GRACE_MS = 10 * 60_000;
const CAUSE_LOOKBACK_MS = 10 * 60_000;

/**
 * Sorts every alarm: a true positive matches a declared event of its bed and kind within the
 * event's window (the first one only: more are repeats), a late one matches after the window,
 * anything else is false. True events with no alarm in their window are missed.
 */
export function classifyAlarms(
  nights: BedNight[],
  alarms: ObservedAlarm[],
  hours: number,
  targets: Targets = DEFAULT_TARGETS,
): { alarms: ClassifiedAlarm[]; figures: CorpusFigures; missed: TrueEvent[] } {
  const byBed = new Map(nights.map((n) => [n.bedIndex, n]));
  const detected = new Map<TrueEvent, ClassifiedAlarm>();
  const lateFor = new Map<TrueEvent, ClassifiedAlarm>();
  const classified: ClassifiedAlarm[] = [];
  for (const a of [...alarms].sort((x, y) => x.seenAt - y.seenAt)) {
    const night = byBed.get(a.bedIndex);
    const candidates = (night?.events ?? []).filter((e) => e.alarmKind === a.kind && a.seenAt >= e.start);
    const inWindow = candidates.find((e) => a.seenAt <= e.deadline);
    const late = candidates.find((e) => a.seenAt > e.deadline && a.seenAt <= e.deadline + LATE_GRACE_MS);
    const match = inWindow ?? late;
    if (match && !detected.has(match) && !lateFor.has(match)) {
      const c: ClassifiedAlarm = {
        ...a,
        verdict: inWindow ? 'true' : 'late',
        event: { type: match.type, onset: match.onset, delayMs: a.seenAt - match.onset },
      };
      (inWindow ? detected : lateFor).set(match, c);
      classified.push(c);
    } else if (match) {
      classified.push({ ...a, verdict: 'repeat', cause: `repeat of ${match.type}` });
    } else {
      classified.push({ ...a, verdict: 'false', cause: night ? causeOf(night, a) : 'unknown bed' });
    }
  }

  const nightsWorth = bedNights(nights.length, hours);
  const unneeded = classified.filter((c) => c.verdict === 'false' || c.verdict === 'repeat');
  const byKind: CorpusFigures['falseAlarms']['byKind'] = {};
  const byCause: Record<string, number> = {};
  for (const c of unneeded) {
    byKind[c.kind] ??= { count: 0, perBedNight: 0 };
    byKind[c.kind].count++;
    byCause[`${c.kind}: ${c.cause}`] = (byCause[`${c.kind}: ${c.cause}`] ?? 0) + 1;
  }
  for (const k of Object.values(byKind)) k.perBedNight = round3(k.count / nightsWorth);

  const events = nights.flatMap((n) => n.events);
  const sensitivity: CorpusFigures['sensitivity'] = {};
  for (const type of TRUE_EVENT_TYPES) {
    const of = events.filter((e) => e.type === type);
    if (of.length === 0) continue;
    const delays = of
      .map((e) => detected.get(e)?.event?.delayMs)
      .filter((d): d is number => d !== undefined)
      .sort((x, y) => x - y);
    const late = of.filter((e) => lateFor.has(e)).length;
    sensitivity[type] = {
      events: of.length,
      inWindow: delays.length,
      late,
      missed: of.length - delays.length - late,
      sensitivity: round3(delays.length / of.length),
      delayMs: delays.length
        ? { min: delays[0], median: delays[Math.floor((delays.length - 1) / 2)], max: delays.at(-1)! }
        : null,
    };
  }
  const present = Object.values(sensitivity);
  const minSensitivity = present.length ? Math.min(...present.map((s) => s.sensitivity ?? 0)) : null;
  const perBedNight = round3(unneeded.length / nightsWorth);
  const falseAlarmsMet = perBedNight <= targets.maxFalseAlarmsPerBedNight;
  const sensitivityMet = minSensitivity === null || minSensitivity >= targets.minSensitivity;
  return {
    alarms: classified,
    missed: events.filter((e) => !detected.has(e)),
    figures: {
      beds: nights.length,
      hours,
      bedNights: round3(nightsWorth),
      alarms: alarms.length,
      falseAlarms: { total: unneeded.length, perBedNight, byKind, byCause },
      sensitivity,
      minSensitivity,
      targets: { ...targets, falseAlarmsMet, sensitivityMet },
      ok: falseAlarmsMet && sensitivityMet,
    },
  };
}

/** The artefact or behaviour of the bed's night closest before the alarm, for the engine's authors. */
export function causeOf(night: BedNight, a: ObservedAlarm): string {
  const from = a.raisedAt - CAUSE_LOOKBACK_MS;
  const device =
    a.kind === 'spo2'
      ? 'wearable'
      : a.kind === 'heart_rate' || a.kind === 'apnea' || a.kind === 'respiration'
        ? null
        : undefined;
  const near = night.artefacts
    .filter(
      (x) => x.start <= a.raisedAt && x.end >= from && (device === undefined || device === null || x.device === device),
    )
    .sort((x, y) => y.end - x.end);
  if (a.kind === 'device_offline') {
    const drop = near.find((x) => x.value === 'dropout');
    return drop ? `${drop.device} dropout` : 'device silent';
  }
  if (a.kind === 'bed_exit' || a.kind === 'prolonged_absence') {
    if (a.raisedAt < night.sleep.bedtime + 60_000) return 'not yet gone to bed';
    return night.sleep.exits.some((x) => x.start <= a.raisedAt && x.end >= from) ? 'toilet trip' : 'in bed';
  }
  const hit = near.find((x) => x.value !== 'dropout') ?? near[0];
  return hit ? `${hit.value} (${hit.device})` : 'normal signals';
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
