import type { ProvisionalAlarm } from './provisional-alarm';

export interface BoardLimits {
  /** An open call nobody stored is dropped after this (a long outage). */
  expireMs: number;
  /** A stored key is remembered this long, so a late resend of it is not shown again. */
  storedMemoryMs: number;
  /** Most open calls kept; the oldest goes first. */
  maxOpen: number;
}

export const DEFAULT_BOARD_LIMITS: BoardLimits = { expireMs: 15 * 60_000, storedMemoryMs: 10 * 60_000, maxOpen: 5000 };

/**
 * The calls for help this node knows to be heard and not yet stored, deduplicated by key
 * (device and event id) across resends and nodes, bounded in time and number. Plain data, its
 * time passed in by the caller.
 */
export class ProvisionalAlarmBoard {
  /** Insertion order is arrival order: the oldest first. */
  private readonly open = new Map<string, { alarm: ProvisionalAlarm; until: number }>();
  private readonly stored = new Map<string, number>();

  constructor(private readonly limits: BoardLimits = DEFAULT_BOARD_LIMITS) {}

  /** When a call first heard at `now` stops being shown. */
  expiresAt(now: number): number {
    return now + this.limits.expireMs;
  }

  /** True when the call is new: not open, not stored lately. */
  isNew(key: string, now: number): boolean {
    this.sweep(now);
    return !this.open.has(key) && !this.stored.has(key);
  }

  /** Adds a new call; false when it was already open or stored (nothing to announce). */
  add(alarm: ProvisionalAlarm, now: number): boolean {
    if (!this.isNew(alarm.key, now)) return false;
    this.open.set(alarm.key, { alarm, until: Math.min(Date.parse(alarm.expiresAt), this.expiresAt(now)) });
    while (this.open.size > this.limits.maxOpen) this.open.delete(this.open.keys().next().value!);
    return true;
  }

  /** The call is stored: the open entry if there was one (announce it), and the key remembered. */
  markStored(key: string, now: number): ProvisionalAlarm | undefined {
    this.sweep(now);
    const entry = this.open.get(key);
    this.open.delete(key);
    this.stored.delete(key);
    this.stored.set(key, now + this.limits.storedMemoryMs);
    while (this.stored.size > this.limits.maxOpen) this.stored.delete(this.stored.keys().next().value!);
    return entry?.alarm;
  }

  /** Open calls of one organisation (every organisation for null), oldest first. */
  openFor(organisationId: string | null, now: number): ProvisionalAlarm[] {
    this.sweep(now);
    return [...this.open.values()]
      .map((e) => e.alarm)
      .filter((a) => organisationId === null || a.organisationId === organisationId);
  }

  get size(): number {
    return this.open.size;
  }

  private sweep(now: number): void {
    for (const [key, e] of this.open) if (e.until <= now) this.open.delete(key);
    // Stored keys expire in insertion order, as their memory is the same length for all.
    for (const [key, until] of this.stored) {
      if (until > now) break;
      this.stored.delete(key);
    }
  }
}
