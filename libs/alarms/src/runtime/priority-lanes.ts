/**
 * Which bed's next job starts, when several beds have work ready: a two-class dispatcher.
 *
 * - Priority beds (a call for help queued) start at once, first come first served, whatever else
 *   is running.
 * - Other beds (telemetry, status, timers, operator changes) start first come first served, at
 *   most `normalLimit` at a time.
 *
 * Every job needs the database, whose connections are served in request order: without the bound
 * a telemetry backlog spread over thousands of beds is thousands of requests ahead of an SOS. With
 * it, an SOS waits for at most `normalLimit` jobs already running. The bound stays below the
 * PostgreSQL pool size, so a connection is usually free for the call for help.
 *
 * Plain bookkeeping: the caller (BedQueue) keeps per-bed order and runs the jobs.
 */
export class PriorityLanes {
  /** Ready beds, in the order they became ready (a Map keeps insertion order; delete is O(1)). */
  private readonly urgent = new Map<string, true>();
  private readonly normal = new Map<string, true>();
  private normalRunning = 0;

  constructor(private readonly normalLimit: number) {
    if (!(normalLimit >= 1)) throw new RangeError('normalLimit must be at least 1');
  }

  /** A bed has a job ready to start (nothing of it running). */
  ready(bedId: string, priority: boolean): void {
    (priority ? this.urgent : this.normal).set(bedId, true);
  }

  /** A call for help was queued behind a ready bed's other jobs: the bed moves to the priority class. */
  promote(bedId: string): void {
    if (this.normal.delete(bedId)) this.urgent.set(bedId, true);
  }

  /** The bed whose job starts next and its class, or null when none may start now. */
  next(): { bedId: string; priority: boolean } | null {
    for (const bedId of this.urgent.keys()) {
      this.urgent.delete(bedId);
      return { bedId, priority: true };
    }
    if (this.normalRunning >= this.normalLimit) return null;
    for (const bedId of this.normal.keys()) {
      this.normal.delete(bedId);
      this.normalRunning++;
      return { bedId, priority: false };
    }
    return null;
  }

  /** A job started by next() with this class has ended. */
  finished(priority: boolean): void {
    if (!priority) this.normalRunning--;
  }

  /** Beds whose next job waits in the normal class (what a priority job starting now overtakes). */
  get normalWaiting(): number {
    return this.normal.size;
  }
}
