import { fromLocal, toLocal } from '@bedside/rules';

/** A local calendar date, "YYYY-MM-DD": the label of the night that starts on it. */
export type NightDate = string;

/** Local hours bounding a night: it starts at `startHour` on its date and ends at `endHour` the next day. */
export interface NightHours {
  startHour: number;
  endHour: number;
}

/** 18:00 to 12:00 next day: the evening before bedtime through a late rise, minus the afternoon. */
export const DEFAULT_NIGHT_HOURS: NightHours = { startHour: 18, endHour: 12 };

export interface NightWindow {
  night: NightDate;
  /** Inclusive, ms since the epoch. */
  start: number;
  /** Exclusive; end - start is 18 h, or 17 h / 19 h across a DST change. */
  end: number;
}

const NIGHT_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseNightDate(night: NightDate): { year: number; month: number; day: number } {
  const m = NIGHT_DATE.exec(night);
  if (!m) throw new RangeError(`invalid night date ${JSON.stringify(night)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    throw new RangeError(`invalid night date ${JSON.stringify(night)}`);
  return { year, month, day };
}

export function isNightDate(value: string): boolean {
  try {
    parseNightDate(value);
    return true;
  } catch {
    return false;
  }
}

function formatDate(year: number, month: number, day: number): NightDate {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Calendar arithmetic on labels (no time zone involved: a date is a date). */
export function addNights(night: NightDate, days: number): NightDate {
  const { year, month, day } = parseNightDate(night);
  return formatDate(year, month, day + days);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function nightsBetween(a: NightDate, b: NightDate): number {
  const pa = parseNightDate(a);
  const pb = parseNightDate(b);
  return Math.round((Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / 86_400_000);
}

/** The instants a night covers in the zone; wall-clock hours, so its length follows DST. */
export function nightWindow(night: NightDate, timeZone: string, hours: NightHours = DEFAULT_NIGHT_HOURS): NightWindow {
  const { year, month, day } = parseNightDate(night);
  const start = fromLocal({ year, month, day, hour: hours.startHour, minute: 0 }, timeZone);
  const endDay = hours.endHour <= hours.startHour ? day + 1 : day;
  const end = fromLocal({ year, month, day: endDay, hour: hours.endHour, minute: 0 }, timeZone);
  return { night, start, end };
}

/** The night an instant belongs to, or null in the daytime hours between two nights. */
export function nightOf(epochMs: number, timeZone: string, hours: NightHours = DEFAULT_NIGHT_HOURS): NightDate | null {
  const l = toLocal(epochMs, timeZone);
  if (hours.endHour > hours.startHour)
    return l.hour >= hours.startHour && l.hour < hours.endHour ? formatDate(l.year, l.month, l.day) : null;
  if (l.hour >= hours.startHour) return formatDate(l.year, l.month, l.day);
  if (l.hour < hours.endHour) return formatDate(l.year, l.month, l.day - 1);
  return null;
}

/** The latest night whose window has ended at `epochMs` (minus `graceMs` for data still in flight). */
export function lastEndedNight(
  epochMs: number,
  timeZone: string,
  hours: NightHours = DEFAULT_NIGHT_HOURS,
  graceMs = 0,
): NightDate {
  const l = toLocal(epochMs - graceMs, timeZone);
  // Tonight or last night, whichever ended last; two candidates are enough for any offset.
  for (let back = 0; back <= 3; back++) {
    const night = formatDate(l.year, l.month, l.day - back);
    if (nightWindow(night, timeZone, hours).end + graceMs <= epochMs) return night;
  }
  throw new RangeError(`no ended night before ${epochMs} in ${timeZone}`);
}
