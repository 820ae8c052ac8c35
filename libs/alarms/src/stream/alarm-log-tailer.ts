import type { AlarmStreamEvent } from '../model/alarm-record';

/** The alarm_events log as the tailer reads it (AlarmRepository). */
export interface AlarmLogSource {
  lastEventId(): Promise<number>;
  eventsAfter(afterId: number, limit: number): Promise<AlarmStreamEvent[]>;
}

export interface AlarmLogTailerOptions {
  /** Safety net: read the log this often even without a wake-up (a lost NOTIFY, a dropped LISTEN session). */
  pollMs: number;
  pageSize?: number;
}

/** A failure worth a warning; the error itself, so an outage can be told from the rest. */
type Warn = (msg: string, err: Error, fields?: Record<string, unknown>) => void;

/**
 * Follows alarm_events by id and hands every new event, in id order and once, to `deliver`.
 * Appends of a shared log commit in id order (they take a database turn), so `id > last
 * delivered` misses nothing. Reads are single-flight: a wake-up during a read makes one more
 * read after it. A failed read keeps the position and is retried at the next wake-up or poll.
 */
export class AlarmLogTailer {
  private cursor: number | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly source: AlarmLogSource,
    private readonly deliver: (events: readonly AlarmStreamEvent[]) => void,
    private readonly options: AlarmLogTailerOptions,
    private readonly warn: Warn = () => undefined,
  ) {}

  /**
   * Starts after the current end of the log: what came before is served by each console's
   * replay from the database.
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.cursor = await this.source.lastEventId();
    this.timer = setInterval(() => void this.wake(), this.options.pollMs);
    this.timer.unref();
  }

  /** The id of the last event delivered (null before start). */
  get position(): number | null {
    return this.cursor;
  }

  /** Reads whatever the log holds beyond the position; resolves when that read is done. */
  wake(): Promise<void> {
    if (this.stopped || this.cursor === null) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.drain().finally(() => (this.reading = null));
    return this.reading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading;
  }

  private async drain(): Promise<void> {
    const limit = this.options.pageSize ?? 500;
    do {
      this.again = false;
      try {
        for (;;) {
          const page = await this.source.eventsAfter(this.cursor!, limit);
          if (this.stopped) return;
          if (page.length > 0) {
            this.cursor = page[page.length - 1].id;
            this.deliver(page);
          }
          if (page.length < limit) break;
        }
      } catch (err) {
        this.warn('alarm log read failed; retried at the next poll', err as Error, { after: this.cursor });
        return;
      }
    } while (this.again && !this.stopped);
  }
}
