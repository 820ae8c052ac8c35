import { planBedNight } from './bed-night.planner';
import { NIGHT_HOURS, type BedNight, type CorpusOptions, type TrueEvent } from './corpus.types';

export const DEFAULT_EVENT_SHARE = 1 / 3;

/** Every bed's night of a corpus run. */
export function planCorpus(o: CorpusOptions): BedNight[] {
  return Array.from({ length: o.beds }, (_, i) => planBedNight(o, i));
}

export const trueEventsOf = (nights: BedNight[]): TrueEvent[] => nights.flatMap((n) => n.events);

/** Bed-nights a run of `beds` beds over `hours` hours is worth. */
export const bedNights = (beds: number, hours: number): number => (beds * hours) / NIGHT_HOURS;

/** 21:00 local on the night after `t`'s local day begins (or on `t`'s day if still before 21:00). */
export function nightStartAfter(t: number, utcOffsetMinutes: number, localHour = 21): number {
  const DAY = 86_400_000;
  const offset = utcOffsetMinutes * 60_000;
  const dayStart = Math.floor((t + offset) / DAY) * DAY - offset;
  const candidate = dayStart + localHour * 3600_000;
  return candidate >= t ? candidate : candidate + DAY;
}
