/** Where an outage log writes; a Nest Logger fits. */
export interface OutageLogSink {
  error(message: object): void;
  log(message: object): void;
}

/**
 * Logs a dependency outage as state changes instead of one line per failed call: the first
 * failure once, then a reminder with the count of failures (by source) at most every
 * `reminderMs`, and the recovery once. A 60 s outage under load is a handful of lines, not
 * thousands, and the lines that remain say when it began, how long it lasted and what it hit.
 */
export class OutageLog {
  private since: number | null = null;
  private lastReminder = 0;
  private failures = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly dependency: string,
    private readonly sink: OutageLogSink,
    private readonly now: () => number,
    private readonly reminderMs = 30_000,
  ) {}

  get failing(): boolean {
    return this.since !== null;
  }

  failure(source: string, err: unknown): void {
    const at = this.now();
    const reason = err instanceof Error ? err.message : String(err);
    this.total++;
    this.failures.set(source, (this.failures.get(source) ?? 0) + 1);
    if (this.since === null) {
      this.since = this.lastReminder = at;
      this.sink.error({ msg: `${this.dependency} unavailable`, source, reason });
      return;
    }
    if (at - this.lastReminder >= this.reminderMs) {
      this.lastReminder = at;
      this.sink.error({
        msg: `${this.dependency} still unavailable`,
        forMs: at - this.since,
        failures: this.total,
        bySource: Object.fromEntries(this.failures),
        reason,
      });
    }
  }

  recovered(): void {
    if (this.since === null) return;
    this.sink.log({
      msg: `${this.dependency} available again`,
      downMs: this.now() - this.since,
      failures: this.total,
      bySource: Object.fromEntries(this.failures),
    });
    this.since = null;
    this.failures = new Map();
    this.total = 0;
  }
}
