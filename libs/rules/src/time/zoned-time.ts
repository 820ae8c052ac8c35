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

/** Local wall-clock time of an instant in an IANA zone. */
export function toLocal(epochMs: number, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (part.type in out) out[part.type as keyof LocalDateTime] = Number(part.value);
  }
  return out;
}

/** Offset of the zone from UTC at an instant (local minus UTC), in ms. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const l = toLocal(epochMs, timeZone);
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - wholeSeconds;
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
