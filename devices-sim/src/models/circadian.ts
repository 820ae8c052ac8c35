const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Local time of day in hours [0, 24) for a fixed UTC offset. */
export function localHour(t: number, utcOffsetMinutes: number): number {
  const ms = (((t + utcOffsetMinutes * 60_000) % DAY) + DAY) % DAY;
  return ms / HOUR;
}

/** Start (UTC ms) of the local "sleep day" containing t: days run from local noon to local noon. */
export function sleepDayStart(t: number, utcOffsetMinutes: number): number {
  const local = t + utcOffsetMinutes * 60_000;
  const noon = Math.floor((local - 12 * HOUR) / DAY) * DAY + 12 * HOUR;
  return noon - utcOffsetMinutes * 60_000;
}

/**
 * Circadian factor in [-1, 1]: lowest around 04:00 local, highest around 16:00. Heart rate and
 * breathing drift by a few units with it.
 */
export function circadian(t: number, utcOffsetMinutes: number): number {
  return -Math.cos(((localHour(t, utcOffsetMinutes) - 4) / 24) * 2 * Math.PI);
}
