/** Wall-clock fields in some time zone. `month` is 1..12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Constructing Intl.DateTimeFormat is costly; one per zone is enough.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock fields straight from ICU (the reference; a few µs per call). */
export function toLocalUncached(epochMs: number, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (part.type in out) out[part.type as keyof LocalDateTime] = Number(part.value);
  }
  return out;
}

function offsetFromIcu(epochMs: number, timeZone: string): number {
  const l = toLocalUncached(epochMs, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The night window is checked on every sample of every bed, and ICU's formatToParts dominated
 * the rules' CPU. A zone's offset is constant between transitions, and tzdata never has two
 * transitions within an hour, so: per zone and UTC hour, when the offset at both ends of the
 * hour agrees it holds for the whole hour; an hour with a transition in it is asked of ICU per
 * instant. Bounded: the map is dropped when it grows past MAX_CACHED_HOURS.
 */
const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 10_000;
const TRANSITION = Number.NaN;
const offsets = new Map<string, Map<number, number>>();

/** Offset of the zone from UTC at an instant (local minus UTC), in ms. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map<number, number>()));
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = zone.get(hour);
  if (offset === undefined) {
    const start = offsetFromIcu(hour * HOUR_MS, timeZone);
    const end = offsetFromIcu(hour * HOUR_MS + HOUR_MS - 1, timeZone);
    offset = start === end ? start : TRANSITION;
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    zone.set(hour, offset);
  }
  return Number.isNaN(offset) ? offsetFromIcu(epochMs, timeZone) : offset;
}

/** Local wall-clock time of an instant in an IANA zone. */
export function toLocal(epochMs: number, timeZone: string): LocalDateTime {
  // Offsets are whole seconds (LMT ones too), so shifting the instant and reading UTC fields
  // gives exactly ICU's wall clock.
  const d = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * Instant of a local wall-clock time. Day/month overflow is normalised (day 32 = next month).
 * In a DST gap the result lands just after the gap; in an overlap it picks one of the two instants.
 */
export function fromLocal(local: Omit<LocalDateTime, 'second'> & { second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  // Two passes: the offset at the guess may differ from the offset at the answer near a transition.
  let t = asUtc - zoneOffsetMs(asUtc, timeZone);
  const offset = zoneOffsetMs(t, timeZone);
  if (offset !== asUtc - t) t = asUtc - offset;
  return t;
}
