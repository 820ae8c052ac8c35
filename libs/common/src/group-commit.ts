import { inSlices } from './in-slices';

/**
 * Gathers items from many concurrent callers into one write: the first item opens a batch,
 * which is flushed after `delayMs` or at `maxBatch` items, whichever comes first. Every caller
 * learns the outcome of the write that carried its item, so an acknowledgement can wait for it
 * (group commit, as in PostgreSQL's commit_delay). `delayMs` 0 flushes at the end of the
 * current event-loop turn (setImmediate): what that turn read is written together, and nothing
 * waits for the next turn's timers.
 */
export class GroupCommit<T, R = void> {
  private batch: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private cancelTimer: (() => void) | null = null;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly flushFn: (items: T[]) => Promise<R[] | void>,
    private readonly opts: { delayMs: number; maxBatch: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.batch.push({ item, resolve, reject });
      if (this.batch.length >= this.opts.maxBatch) this.flushNow();
      else if (!this.cancelTimer) this.cancelTimer = this.schedule();
    });
  }

  /** Flushes what is gathered and waits for every write under way and for all its callers to be answered. */
  async drain(): Promise<void> {
    this.flushNow();
    await Promise.all([...this.inFlight]);
  }

  private schedule(): () => void {
    if (this.opts.delayMs === 0) {
      const immediate = setImmediate(() => this.flushNow());
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => this.flushNow(), this.opts.delayMs);
    return () => clearTimeout(timer);
  }

  private flushNow(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    const p = this.flushFn(batch.map((b) => b.item))
      .then(
        (results) => inSlices(batch, (b, i) => b.resolve((results ? results[i] : undefined) as R)),
        (err) => inSlices(batch, (b) => b.reject(err)),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}
