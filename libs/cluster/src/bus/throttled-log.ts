export interface WarnSink {
  warn(message: object): void;
}

/**
 * Logs a recurring warning the first time and then at most once per `everyMs` for the same
 * key, with how many were left out meanwhile: a peer sending garbage at message rate must not
 * turn the log into a copy of its traffic.
 */
export class ThrottledLog {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: WarnSink,
    private readonly now: () => number,
    private readonly everyMs = 30_000,
  ) {}

  warn(key: string, fields: Record<string, unknown>): void {
    const at = this.now();
    const last = this.seen.get(key);
    if (last && at - last.at < this.everyMs) {
      last.suppressed++;
      return;
    }
    this.seen.set(key, { at, suppressed: 0 });
    this.sink.warn({ msg: key, ...fields, ...(last?.suppressed ? { suppressedSinceLast: last.suppressed } : {}) });
  }
}
