import type { LoggerService } from '@nestjs/common';
import type { DiskSpool } from './disk-spool';
import type { InfluxHttp } from './influx-http';
import type { WriteCounters } from './write-counters';

export interface SpoolReplayOptions {
  /** Lines per replayed write (at least 5000). */
  batchSize: number;
  /** Probe backoff while InfluxDB stays unreachable: from min, doubling, up to max. */
  retryMinMs: number;
  retryMaxMs: number;
}

/**
 * Sends the spool to InfluxDB oldest first, backing off while InfluxDB stays unreachable, and
 * calls `onDrained` once the spool is empty (writes may then go straight to InfluxDB again).
 */
export class SpoolReplay {
  private running: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly spool: DiskSpool,
    private readonly http: InfluxHttp,
    private readonly counters: WriteCounters,
    private readonly logger: LoggerService,
    private readonly opts: SpoolReplayOptions,
    private readonly onDrained: () => void,
  ) {}

  /** Starts the replay loop unless it is running or stopped. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Cuts the current backoff short. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the write in progress; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    if (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    let delay = this.opts.retryMinMs;
    let failing = false;
    const startDepth = this.spool.depthPoints;
    while (!this.stopped) {
      if (this.spool.isEmpty) {
        this.logger.log(
          `InfluxDB reachable; spool replayed (${this.counters.replayed} points so far, ${startDepth} pending at start of this replay); writing directly again`,
        );
        this.onDrained();
        return;
      }
      let batch;
      try {
        batch = await this.spool.peek(Math.max(this.opts.batchSize, 5000));
      } catch (err) {
        this.logger.error(`spool read failed: ${(err as Error).message}`);
        await this.sleep(delay);
        continue;
      }
      if (!batch) {
        // Only appends still on their way to disk: wait for them.
        const writing = this.spool.appending;
        await this.spool.settled();
        if (!writing) await this.sleep(10);
        continue;
      }
      const r = await this.http.sendLines(batch.body, batch.lines);
      if (!r.ok) {
        if (!failing)
          this.logger.warn(
            `InfluxDB still unavailable (${r.reason}); ${this.spool.depthPoints} points spooled; retrying with backoff`,
          );
        failing = true;
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.opts.retryMaxMs);
        continue;
      }
      if (failing) this.logger.log(`InfluxDB is back; replaying ${this.spool.depthPoints} spooled points`);
      failing = false;
      delay = this.opts.retryMinMs;
      this.counters.replayed += batch.lines;
      await this.spool.commit(batch);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        this.wakeUp = null;
        resolve();
      };
    });
  }
}
