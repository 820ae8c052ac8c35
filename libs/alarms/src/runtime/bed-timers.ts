// setTimeout fires at once beyond 2^31-1 ms; far deadlines are re-armed on the way.
const MAX_DELAY_MS = 2 ** 31 - 1;

interface Armed {
  /** The bed's deadline. */
  at: number;
  /** When the underlying setTimeout fires: at or before `at`. */
  firesAt: number;
  handle: NodeJS.Timeout;
}

/**
 * Exactly one timer per bed, armed at the bed's next deadline. A device's silence deadline
 * slides later with every message, so a later deadline keeps the armed timeout and only
 * records the new instant; when the timeout fires early it re-arms for the rest. Clearing and
 * re-creating a timeout per message per bed was a visible share of the hot path.
 */
export class BedTimers {
  private readonly timers = new Map<string, Armed>();
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly onDue: (bedId: string, at: number) => void,
  ) {}

  /** Sets the bed's deadline; null cancels it. A deadline in the past fires at once (catch-up after a restart). */
  set(bedId: string, at: number | null): void {
    const current = this.timers.get(bedId);
    if (current && at !== null && at >= current.firesAt && !this.stopped) {
      current.at = at;
      return;
    }
    if (current) clearTimeout(current.handle);
    this.timers.delete(bedId);
    if (at === null || this.stopped) return;
    this.arm(bedId, at);
  }

  private arm(bedId: string, at: number): void {
    const now = this.now();
    const delay = Math.min(Math.max(0, at - now), MAX_DELAY_MS);
    const armed: Armed = {
      at,
      firesAt: now + delay,
      handle: setTimeout(() => {
        this.timers.delete(bedId);
        if (this.now() < armed.at) this.arm(bedId, armed.at);
        else this.onDue(bedId, armed.at);
      }, delay),
    };
    armed.handle.unref?.();
    this.timers.set(bedId, armed);
  }

  get(bedId: string): number | null {
    return this.timers.get(bedId)?.at ?? null;
  }

  get size(): number {
    return this.timers.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
  }
}
