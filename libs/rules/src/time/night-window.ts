import type { LocalTime, NightWindow } from '../config/rule-set';
import { fromLocal, toLocal } from './zoned-time';

/** Minutes after local midnight for "HH:MM", or null when malformed. */
export function parseLocalTime(value: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

// Rule sets hold a handful of distinct times; parsing them on every sample showed in profiles.
const parsedTimes = new Map<string, number>();

function minutesOf(value: LocalTime): number {
  const cached = parsedTimes.get(value);
  if (cached !== undefined) return cached;
  const minutes = parseLocalTime(value);
  if (minutes === null) throw new RangeError(`invalid local time ${JSON.stringify(value)}`);
  if (parsedTimes.size < 1_000) parsedTimes.set(value, minutes);
  return minutes;
}

/** True when the instant falls in the window [start, end); a window with start > end crosses midnight. */
export function isInNightWindow(epochMs: number, window: NightWindow, timeZone: string): boolean {
  const l = toLocal(epochMs, timeZone);
  const m = l.hour * 60 + l.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** Instant the current window began, or null when the instant is outside the window. */
export function currentWindowStart(epochMs: number, window: NightWindow, timeZone: string): number | null {
  if (!isInNightWindow(epochMs, window, timeZone)) return null;
  const l = toLocal(epochMs, timeZone);
  const start = minutesOf(window.start);
  // Past midnight in a midnight-crossing window, the window began on the previous local day.
  const dayOffset = l.hour * 60 + l.minute >= start ? 0 : -1;
  return atLocalTime(l, dayOffset, start, timeZone);
}

/** First instant strictly after `epochMs` at which the local clock shows `time`. */
export function nextLocalTime(epochMs: number, time: LocalTime, timeZone: string): number {
  const l = toLocal(epochMs, timeZone);
  const minutes = minutesOf(time);
  for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
    const t = atLocalTime(l, dayOffset, minutes, timeZone);
    if (t > epochMs) return t;
  }
  throw new RangeError(`no ${time} after ${epochMs} in ${timeZone}`);
}

/** Next start of the night window strictly after the instant. */
export function nextWindowStart(epochMs: number, window: NightWindow, timeZone: string): number {
  return nextLocalTime(epochMs, window.start, timeZone);
}

function atLocalTime(
  day: { year: number; month: number; day: number },
  dayOffset: number,
  minutes: number,
  timeZone: string,
): number {
  return fromLocal(
    {
      year: day.year,
      month: day.month,
      day: day.day + dayOffset,
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    },
    timeZone,
  );
}
