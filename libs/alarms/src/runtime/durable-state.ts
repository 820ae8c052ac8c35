import type { BedRuleState } from '@bedside/rules';

type Flat = object | null;

function sameFlat(a: Flat, b: Flat): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    n++;
    if (x[k] !== y[k]) return false;
  }
  for (const _ in y) n--;
  return n === 0;
}

function sameRecords<T extends object>(
  a: Record<string, T>,
  b: Record<string, T>,
  same: (x: T, y: T) => boolean,
): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in a) {
    n++;
    const y = b[k];
    if (y === undefined || !same(a[k], y)) return false;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** Everything but what each sample moves: last seen (hub time), the event-time watermark and the sample interval. */
const sameDevice = (x: BedRuleState['devices'][string], y: BedRuleState['devices'][string]) =>
  x.kind === y.kind &&
  x.online === y.online &&
  x.onlineSince === y.onlineSince &&
  x.warmupFromTs === y.warmupFromTs &&
  x.offlineSince === y.offlineSince &&
  x.offlineReason === y.offlineReason &&
  x.battery === y.battery &&
  x.worn === y.worn &&
  x.removedSince === y.removedSince &&
  x.disconnectedAt === y.disconnectedAt &&
  x.disconnectReason === y.disconnectReason &&
  x.inBedSince === y.inBedSince;

const sameVital = (x: BedRuleState['vitals'][string], y: BedRuleState['vitals'][string]) =>
  x.majorSince === y.majorSince && x.criticalSince === y.criticalSince && x.clearSince === y.clearSince;

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in a) {
    n++;
    if (!(k in b)) return false;
  }
  for (const _ in b) n--;
  return n === 0;
}

/**
 * True when two states differ only in what every sample moves (a device's last-seen instant and
 * sample clock, the latest reading of a vital sign and how many samples showed it, timer instants
 * that slide with them), which the periodic
 * checkpoint covers. Anything else must survive a crash the moment it changes and is written
 * in a transaction: which devices are online, presence and absences, since when a vital sign is
 * breached, a pending fall, episodes, silences, the newest event id and which timers are armed.
 * A comparison rather than a serialised fingerprint: it runs on every message and allocates nothing.
 */
export function sameDurableState(a: BedRuleState, b: BedRuleState): boolean {
  if (a === b) return true;
  return (
    sameRecords(a.devices, b.devices, sameDevice) &&
    sameRecords(a.vitals, b.vitals, sameVital) &&
    sameFlat(a.presence, b.presence) &&
    sameFlat(a.fall, b.fall) &&
    sameRecords(a.episodes, b.episodes, (x, y) => sameFlat(x, y)) &&
    sameFlat(a.silence, b.silence) &&
    a.seenEventIds[a.seenEventIds.length - 1] === b.seenEventIds[b.seenEventIds.length - 1] &&
    sameKeys(a.timers, b.timers)
  );
}
