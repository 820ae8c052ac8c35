import { Prng, hashSeed } from '../models/prng';
import { planNight, type Span } from '../models/sleep-plan';
import { drawResidentProfile } from './resident-profile';
import {
  TRUE_EVENT_TYPES,
  type Artefact,
  type BedNight,
  type CorpusOptions,
  type TrueEvent,
  type TrueEventType,
} from './corpus.types';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

/** Bedtime ~21:40 and rising ~06:40 local (older adults sleep early), one standard deviation 20 min. */
const CORPUS_NIGHT_TIMES = { bedtimeAfterNoonH: 9.67, wakeAfterNoonH: 18.67, sdMinutes: 20 };

/** How long after its clinical onset each true event must be on the call-centre screen. */
export const CLINICAL_WINDOW_MS: Record<TrueEventType, number> = {
  // Critical heart-rate tier (30 s) plus a 2-minute batch upload and transport.
  bradycardia: 3 * MIN,
  tachycardia: 3 * MIN,
  // 30 s without breathing plus a batch upload.
  apnea: 3 * MIN,
  // SpO2 hold of 1 min plus a 2-minute wearable batch.
  desaturation: 4 * MIN,
  // Onset is the 20th minute away at night; the alarm is due then.
  night_absence: 2 * MIN,
  // Onset is the detection; the wearer's 30 s cancel window, then at once.
  fall: 45 * SEC,
};

export const ALARM_KIND_OF: Record<TrueEventType, string> = {
  bradycardia: 'heart_rate',
  tachycardia: 'heart_rate',
  apnea: 'apnea',
  desaturation: 'spo2',
  night_absence: 'bed_exit',
  fall: 'fall',
};

/** Beds that get a true event: spread evenly, `share` of them; event types in turn so each type appears. */
export function eventTypeOf(bedIndex: number, share: number): TrueEventType | null {
  const before = Math.floor(bedIndex * share);
  if (Math.floor((bedIndex + 1) * share) === before) return null;
  return TRUE_EVENT_TYPES[before % TRUE_EVENT_TYPES.length];
}

/**
 * One bed's night from (seed, bed index) alone: the resident, their sleep, toilet trips,
 * turnovers, sensor and link artefacts, the wearable's hours on the wrist and, for some beds,
 * one true emergency. Pure: the same arguments give the same night.
 */
export function planBedNight(o: CorpusOptions, bedIndex: number): BedNight {
  const seed = hashSeed(`corpus:${o.seed}:${bedIndex}`);
  const rng = new Prng(seed);
  const start = o.start;
  const end = o.start + o.hours * HOUR;
  const eventType = eventTypeOf(bedIndex, o.eventShare);
  const resident = drawResidentProfile(rng.fork('resident'));
  // Desaturations and falls are seen by the wearable: its resident wears it all night.
  if (eventType === 'desaturation' || eventType === 'fall')
    resident.wearable = { wornAtNight: true, removesAtFraction: null };
  const sleep = planNight(seed, start, o.utcOffsetMinutes, CORPUS_NIGHT_TIMES);
  const sleepOnset = sleep.spans.find((s) => s.value !== 'awake')?.start ?? sleep.bedtime;
  const lastInBed = Math.min(sleep.wake, end);
  // True events fall inside the observed part of the night, asleep, with time to be detected.
  const eventRange = { from: Math.max(sleepOnset + 30 * MIN, start + 10 * MIN), until: lastInBed - 20 * MIN };

  const trips = planToiletTrips(rng.fork('trips'), resident.toiletTrips, sleepOnset + 45 * MIN, sleep.wake - 30 * MIN);
  const events: TrueEvent[] = [];
  const falls: BedNight['falls'] = [];
  if (eventType) {
    const erng = rng.fork('event');
    const made =
      eventRange.until > eventRange.from
        ? placeTrueEvent(erng, eventType, bedIndex, trips, eventRange, o.utcOffsetMinutes)
        : null;
    if (made) {
      events.push(made.event);
      if (made.trip) {
        for (let i = trips.length - 1; i >= 0; i--) if (overlaps(trips[i], made.trip, 40 * MIN)) trips.splice(i, 1);
        trips.push(made.trip);
        trips.sort((a, b) => a.start - b.start);
      }
      if (eventType === 'fall')
        falls.push({
          at: made.event.onset,
          cancelAt: null,
          confidence: Math.round(erng.uniform(0.8, 0.97) * 100) / 100,
        });
    }
  }
  sleep.exits = trips;

  const arng = rng.fork('artefacts');
  const artefacts: Artefact[] = [];
  // Mattresses report HR 0 / RR 0 at good signal while they settle on a new occupant, and again
  // for a few seconds while the occupant sits up before the pressure drops.
  const entries = [sleep.bedtime, ...trips.map((t) => t.end)].filter((t) => t >= start && t < lastInBed);
  for (const t of entries)
    artefacts.push({ device: 'mattress', value: 'lie-down', start: t, end: t + arng.uniform(10, 40) * SEC });
  const exits = [...trips.map((t) => t.start), sleep.wake].filter((t) => t > start && t < end);
  for (const t of exits)
    artefacts.push({ device: 'mattress', value: 'getting-up', start: t - arng.uniform(5, 25) * SEC, end: t });

  const inBedSpans = spansInBed(sleep.bedtime, lastInBed, trips);
  for (const span of inBedSpans) {
    // Turnovers as a Poisson process; the wearable's optical SpO2 often dips with the motion.
    for (
      let t = span.start + expGap(arng, resident.turnoversPerHour);
      t < span.end - 60 * SEC;
      t += expGap(arng, resident.turnoversPerHour)
    ) {
      const len = arng.uniform(5, 20) * SEC;
      artefacts.push({ device: 'mattress', value: 'turnover', start: t, end: t + len });
      if (arng.chance(0.4))
        artefacts.push({
          device: 'wearable',
          value: 'spo2-motion-dip',
          start: t + arng.uniform(0, 5) * SEC,
          end: t + len + arng.uniform(5, 25) * SEC,
        });
    }
  }

  const worn = wornSpans(resident, sleep.bedtime, start, end);
  const removal = worn.find((w) => w.end < end);
  if (removal && arng.chance(0.5))
    artefacts.push({ device: 'wearable', value: 'removal-reading', start: removal.end - 20 * SEC, end: removal.end });

  for (const device of ['mattress', 'wearable', 'button'] as const) {
    const n = arng.int(0, 2);
    for (let i = 0; i < n; i++) {
      const at = arng.uniform(start + 10 * MIN, end - 10 * MIN);
      artefacts.push({ device, value: 'dropout', start: at, end: at + arng.uniform(2, 15) * SEC });
    }
  }
  if (resident.flakyLink) {
    const from = arng.uniform(start + 30 * MIN, end - 60 * MIN);
    const until = from + arng.uniform(2, 5) * MIN;
    for (let t = from; t < until; t += 10 * SEC)
      artefacts.push({ device: resident.flakyLink, value: 'dropout', start: t, end: t + 2 * SEC });
  }
  if (arng.chance(0.05) && worn.length > 0) {
    // A false fall detection (a knock against the bed rail) that the wearer cancels.
    const w = worn[0];
    const at = arng.uniform(w.start + 5 * MIN, Math.max(w.start + 5 * MIN, w.end - 5 * MIN));
    const cancelAt = at + arng.uniform(5, 20) * SEC;
    falls.push({ at, cancelAt, confidence: Math.round(arng.uniform(0.5, 0.8) * 100) / 100 });
    artefacts.push({ device: 'wearable', value: 'cancelled-fall', start: at, end: cancelAt });
  }

  // A true event is a clean recording: no artefact inside it or just around it.
  const quiet = events
    .filter((e) => e.type !== 'night_absence' && e.type !== 'fall')
    .map((e) => ({ start: e.start - 2 * MIN, end: e.end + 2 * MIN }));
  const kept = artefacts.filter(
    (a) =>
      !(a.value === 'turnover' || a.value === 'spo2-motion-dip' || a.value === 'dropout') ||
      !quiet.some((q) => overlaps(a, q, 0)),
  );
  kept.sort((a, b) => a.start - b.start);
  falls.sort((a, b) => a.at - b.at);
  return {
    bedIndex,
    seed,
    start,
    end,
    utcOffsetMinutes: o.utcOffsetMinutes,
    resident,
    sleep,
    artefacts: kept,
    worn,
    falls,
    events,
  };
}

function placeTrueEvent(
  rng: Prng,
  type: TrueEventType,
  bedIndex: number,
  trips: Span<'out'>[],
  range: { from: number; until: number },
  utcOffsetMinutes: number,
): { event: TrueEvent; trip?: Span<'out'> } | null {
  const make = (start: number, onset: number, end: number, detail: string): TrueEvent => ({
    type,
    bedIndex,
    alarmKind: ALARM_KIND_OF[type],
    start,
    onset,
    end,
    deadline: onset + CLINICAL_WINDOW_MS[type],
    detail,
  });
  if (type === 'night_absence') {
    // Leaves between 22:30 and 04:30 local, stays away 25-45 min (found on the floor, wandering).
    const midnight = localMidnightAfter(range.from - 6 * HOUR, utcOffsetMinutes);
    const from = Math.max(range.from, midnight - 1.5 * HOUR);
    const until = Math.min(range.until, midnight + 4.5 * HOUR);
    const away = rng.uniform(25, 45) * MIN;
    if (until - away <= from) return null;
    const leave = rng.uniform(from, until - away);
    return {
      event: make(leave, leave + 20 * MIN, leave + away, `out of bed ${Math.round(away / MIN)} min`),
      trip: { start: leave, end: leave + away, value: 'out' },
    };
  }
  if (type === 'fall') {
    // Falls on the way to the toilet, is not able to cancel, is back in bed within 15 min.
    if (range.until - 15 * MIN <= range.from) return null;
    const leave = rng.uniform(range.from, range.until - 15 * MIN);
    const at = leave + rng.uniform(1, 3) * MIN;
    const trip = { start: leave, end: leave + rng.uniform(8, 15) * MIN, value: 'out' as const };
    return { event: make(at, at, at, 'fall detected, not cancelled'), trip };
  }
  const duration =
    {
      bradycardia: rng.uniform(90, 180),
      tachycardia: rng.uniform(60, 180),
      apnea: rng.uniform(35, 60),
      desaturation: rng.uniform(90, 180),
    }[type] * SEC;
  for (let attempt = 0; attempt < 50; attempt++) {
    const at = rng.uniform(range.from, range.until);
    const span = { start: at, end: at + duration };
    if (trips.some((t) => overlaps(t, span, 10 * MIN))) continue;
    const level = { bradycardia: 'HR 36', tachycardia: 'HR 150', apnea: 'no breathing', desaturation: 'SpO2 86-89 %' }[
      type
    ];
    return { event: make(at, at, at + duration, `${level} for ${Math.round(duration / SEC)} s`) };
  }
  return null;
}

function planToiletTrips(rng: Prng, count: number, from: number, until: number): Span<'out'>[] {
  const trips: Span<'out'>[] = [];
  for (let i = 0; i < count * 4 && trips.length < count && until > from; i++) {
    const start = rng.uniform(from, until);
    const trip = { start, end: start + rng.uniform(3, 15) * MIN, value: 'out' as const };
    if (!trips.some((t) => overlaps(t, trip, 40 * MIN))) trips.push(trip);
  }
  return trips.sort((a, b) => a.start - b.start);
}

function wornSpans(r: BedNight['resident'], bedtime: number, start: number, end: number): Span<'worn'>[] {
  if (!r.wearable.wornAtNight) return [];
  const removes = r.wearable.removesAtFraction;
  const off = removes === null ? end : Math.max(bedtime, start) + removes * (end - Math.max(bedtime, start));
  return [{ start, end: off, value: 'worn' }];
}

function spansInBed(bedtime: number, until: number, trips: Span<'out'>[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let at = bedtime;
  for (const t of trips) {
    if (t.start > at) out.push({ start: at, end: Math.min(t.start, until) });
    at = Math.max(at, t.end);
  }
  if (until > at) out.push({ start: at, end: until });
  return out.filter((s) => s.end > s.start);
}

function localMidnightAfter(t: number, utcOffsetMinutes: number): number {
  const local = t + utcOffsetMinutes * MIN;
  return Math.ceil(local / (24 * HOUR)) * 24 * HOUR - utcOffsetMinutes * MIN;
}

const expGap = (rng: Prng, perHour: number): number => (-Math.log(1 - rng.next()) / perHour) * HOUR;

export const overlaps = (
  a: { start: number; end: number },
  b: { start: number; end: number },
  margin: number,
): boolean => a.start < b.end + margin && a.end > b.start - margin;
