/**
 * The delayed acknowledgement of refused messages. A flood is refused hundreds of messages at a
 * time (every packet aedes parsed from one read), so refusals within `joinMs` of each other share
 * one timer: each is answered between `delayMs` and `delayMs + joinMs` after it, for the price of
 * one timer per burst instead of one per message.
 */
export class RefusalDelay {
  private pending: { at: number; done: Promise<'refused'> } | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly joinMs: number,
    private readonly now: () => number,
  ) {}

  /** Resolves ('refused') at least `delayMs` from now. */
  wait(): Promise<'refused'> {
    const now = this.now();
    const p = this.pending;
    if (p && now - p.at <= this.joinMs) return p.done;
    const done = new Promise<'refused'>((resolve) =>
      setTimeout(() => resolve('refused'), this.delayMs + this.joinMs).unref(),
    );
    this.pending = { at: now, done };
    return done;
  }
}
