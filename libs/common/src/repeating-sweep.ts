/**
 * A background pass run again and again: the next one starts `intervalMs` after the previous
 * one ended (never two at once, however long a pass takes), a failed pass is reported and the
 * next still runs, and stop() waits for a pass in flight, so shutdown never cuts one in half.
 * The timer does not keep the process alive.
 */
export class RepeatingSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  /** The first pass after `firstDelayMs` (default: one interval). */
  start(firstDelayMs = this.intervalMs): void {
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(
          () => undefined,
          (err: unknown) => this.onError(err instanceof Error ? err : new Error(String(err))),
        )
        .finally(() => {
          this.running = null;
          this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
