// setTimeout fires at once beyond 2^31-1 ms; far deadlines are re-armed on the way.
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Exactly one timer per bed, armed at the bed's next deadline. */
export class BedTimers {
  private readonly timers = new Map<string, { at: number; handle: NodeJS.Timeout }>();
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly onDue: (bedId: string, at: number) => void,
  ) {}

  /** Replaces the bed's timer; null cancels it. A deadline in the past fires at once (catch-up after a restart). */
  set(bedId: string, at: number | null): void {
    const current = this.timers.get(bedId);
    if (current && current.at === at) return;
    if (current) clearTimeout(current.handle);
    this.timers.delete(bedId);
    if (at === null || this.stopped) return;
    const delay = Math.min(Math.max(0, at - this.now()), MAX_DELAY_MS);
    const handle = setTimeout(() => {
      this.timers.delete(bedId);
      if (this.now() < at) this.set(bedId, at);
      else this.onDue(bedId, at);
    }, delay);
    handle.unref?.();
    this.timers.set(bedId, { at, handle });
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
