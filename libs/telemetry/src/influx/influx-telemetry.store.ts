import { join } from 'node:path';
import { Logger, type LoggerService } from '@nestjs/common';
import { TelemetryStore, type TelemetryStoreStats } from '../telemetry.store';
import type { AggregateQuery, AggregateRow, TelemetryPoint, TelemetryQuery } from '../telemetry-point';
import { DiskSpool } from './disk-spool';
import { InfluxBatchWriter } from './influx-batch-writer';
import { InfluxHttp, type InfluxConnection } from './influx-http';
import { InfluxQuery } from './influx-query';
import { SpoolReplay } from './spool-replay';
import { WriteCounters } from './write-counters';

export interface InfluxTelemetryStoreOptions extends InfluxConnection {
  /** Lines per HTTP write; default 5000. */
  batchSize?: number;
  /** A partial batch is sent after this long; default 200 ms. */
  flushMs?: number;
  /** Folder of the on-disk spool (the hub uses DATA_DIR/spool). */
  spoolDir: string;
  spoolMaxBytes: number;
  spoolSegmentBytes?: number;
  /** Measurement name; default `telemetry`. */
  measurement?: string;
  /** A write that has not answered by then counts as InfluxDB being unavailable; default 10 s. */
  writeTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** Replay probe backoff; defaults 200 ms doubling to 5 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Concurrent HTTP writes; default 2. */
  maxInFlight?: number;
  logger?: LoggerService;
}

/**
 * Telemetry in InfluxDB through the v1 HTTP API (InfluxHttp), assembled from its parts:
 * - writes are buffered and sent in batches (InfluxBatchWriter); `write()` resolves once InfluxDB
 *   has acknowledged the points or, when InfluxDB is down, slow or failing, once they are fsynced
 *   to the disk spool (DiskSpool);
 * - while the spool holds anything, new batches are appended behind it and SpoolReplay sends it
 *   oldest first, backing off while InfluxDB stays unreachable; when it is empty, writes go
 *   straight to InfluxDB again. A spool left by a previous run is replayed at start;
 * - lines InfluxDB refuses (400: parse errors, field type conflicts, points outside the retention
 *   policy) are counted and logged as rejected (WriteCounters), never retried, so they cannot
 *   wedge the spool;
 * - reads are InfluxQL (InfluxQuery).
 */
export class InfluxTelemetryStore extends TelemetryStore {
  readonly name = 'influx';
  private readonly spool: DiskSpool;
  private readonly counters: WriteCounters;
  private readonly writer: InfluxBatchWriter;
  private readonly replay: SpoolReplay;
  private readonly reader: InfluxQuery;
  private readonly logger: LoggerService;
  private closing = false;
  private closed = false;

  constructor(opts: InfluxTelemetryStoreOptions) {
    super();
    const logger = (this.logger = opts.logger ?? new Logger('InfluxTelemetryStore'));
    const measurement = opts.measurement ?? 'telemetry';
    const batchSize = opts.batchSize ?? 5000;
    this.counters = new WriteCounters(logger);
    const http = new InfluxHttp(opts, this.counters, opts.writeTimeoutMs ?? 10_000, opts.queryTimeoutMs ?? 30_000);
    this.spool = new DiskSpool({
      dir: opts.spoolDir,
      maxBytes: opts.spoolMaxBytes,
      segmentBytes: opts.spoolSegmentBytes,
      logger,
    });
    this.replay = new SpoolReplay(
      this.spool,
      http,
      this.counters,
      logger,
      { batchSize, retryMinMs: opts.retryMinMs ?? 200, retryMaxMs: opts.retryMaxMs ?? 5000 },
      () => this.writer.resumeDirect(),
    );
    this.writer = new InfluxBatchWriter(
      {
        measurement,
        batchSize,
        flushMs: Math.min(opts.flushMs ?? 200, 1000),
        maxInFlight: Math.max(1, opts.maxInFlight ?? 2),
      },
      http,
      this.spool,
      this.counters,
      logger,
      () => this.replay.start(),
    );
    this.reader = new InfluxQuery(http, measurement, opts.retentionPolicy);
    if (!this.spool.isEmpty) {
      this.writer.spoolFirst();
      this.replay.start();
    }
  }

  write(points: TelemetryPoint[]): Promise<void> {
    if (this.closing) return Promise.reject(new Error('telemetry store is closed'));
    return this.writer.write(points);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * Waits until the spool is empty and writes go straight to InfluxDB again (false on timeout).
   * For tests and orderly shutdowns; write() never needs it.
   */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    await this.flush();
    while (Date.now() < deadline) {
      if (this.writer.idle && this.spool.isEmpty) return true;
      this.replay.wake();
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    await this.flush();
    this.closed = true;
    await this.replay.stop();
    await this.spool.close();
    if (!this.spool.isEmpty)
      this.logger.warn(
        `closing with ${this.spool.depthPoints} points in the spool; they are replayed at the next start`,
      );
  }

  override stats(): TelemetryStoreStats {
    return {
      written: this.counters.written,
      rejected: this.counters.rejected,
      dropped: this.spool.dropped,
      spooled: this.counters.spooled,
      replayed: this.counters.replayed,
      bufferedPoints: this.writer.bufferedLines,
      spoolBytes: this.spool.bytes,
      spoolSegments: this.spool.segmentCount,
      spoolDepthPoints: this.spool.depthPoints,
      spoolOldestAgeMs: this.spool.oldestAgeMs(),
      spooling: this.writer.spooling,
    };
  }

  query(q: TelemetryQuery): Promise<TelemetryPoint[]> {
    return this.reader.query(q);
  }

  aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    return this.reader.aggregate(q);
  }
}

export function influxSpoolDir(dataDir: string): string {
  return join(dataDir, 'spool');
}
