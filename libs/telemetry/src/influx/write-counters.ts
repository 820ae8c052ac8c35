import type { LoggerService } from '@nestjs/common';

/** A refused line is logged at most this often, with the count since the last log. */
const REJECT_LOG_EVERY_MS = 10_000;

/** What became of the lines handed to the InfluxDB store, for its stats and logs. */
export class WriteCounters {
  written = 0;
  rejected = 0;
  spooled = 0;
  replayed = 0;
  private rejectLog = { at: 0, pending: 0 };

  constructor(private readonly logger: LoggerService) {}

  /** Lines refused for good (invalid, or refused by InfluxDB): counted, never retried, logged rate-limited. */
  noteRejected(n: number, message: string): void {
    this.rejected += n;
    this.rejectLog.pending += n;
    const now = Date.now();
    if (now - this.rejectLog.at >= REJECT_LOG_EVERY_MS) {
      this.logger.warn(
        `InfluxDB rejected ${this.rejectLog.pending} telemetry point(s) (${this.rejected} in total); latest: ${message.slice(0, 300)}`,
      );
      this.rejectLog = { at: now, pending: 0 };
    }
  }
}
