import { SETTLE_SLICE, inSlices } from '@bedside/common';
import type { LoggerService } from '@nestjs/common';
import type { TelemetryPoint } from '../telemetry-point';
import type { DiskSpool } from './disk-spool';
import type { InfluxHttp } from './influx-http';
import { toLineProtocol } from './line-protocol';
import type { WriteCounters } from './write-counters';

export interface BatchWriterOptions {
  measurement: string;
  /** Lines per HTTP write. */
  batchSize: number;
  /** A partial batch is sent after this long. */
  flushMs: number;
  /** Concurrent HTTP writes. */
  maxInFlight: number;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers observe it through write(); flush() waits with allSettled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

interface Batch {
  lines: string[];
  /** One waiter per SETTLE_SLICE lines, settled one per turn of the event loop (see inSlices). */
  acks: Deferred[];
}

function settle(b: Batch, err?: Error): void {
  void inSlices(b.acks, (ack) => (err ? ack.reject(err) : ack.resolve()), 1);
}

/**
 * Buffers points as line protocol and sends them in batches (batchSize lines or flushMs), at
 * most maxInFlight writes at a time. A write's promise resolves once InfluxDB has acknowledged
 * its lines (204) or, when InfluxDB is down, slow or failing, once they are fsynced to the spool.
 * The first failure switches to spooling: every later batch is appended behind the spool (so
 * order holds) until the replay has emptied it and calls resumeDirect.
 */
export class InfluxBatchWriter {
  private current: Batch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: Batch[] = [];
  private readonly outstanding = new Set<Promise<void>>();
  private inFlight = 0;
  /** Lines handed to write() and not yet acknowledged or spooled. */
  bufferedLines = 0;
  private mode: 'direct' | 'spooling' = 'direct';

  constructor(
    private readonly opts: BatchWriterOptions,
    private readonly http: InfluxHttp,
    private readonly spool: DiskSpool,
    private readonly counters: WriteCounters,
    private readonly logger: LoggerService,
    private readonly startReplay: () => void,
  ) {}

  get spooling(): boolean {
    return this.mode === 'spooling';
  }

  /** True when writes go straight to InfluxDB and nothing is queued or in flight. */
  get idle(): boolean {
    return this.mode === 'direct' && this.queue.length === 0 && this.inFlight === 0;
  }

  /** New batches go to the spool until resumeDirect (a spool left by a previous run, or InfluxDB failing). */
  spoolFirst(): void {
    this.mode = 'spooling';
  }

  /** The spool is empty: write straight to InfluxDB again. */
  resumeDirect(): void {
    this.mode = 'direct';
    this.pump();
  }

  write(points: TelemetryPoint[]): Promise<void> {
    const waits: Promise<void>[] = [];
    let bad = 0;
    let firstError = '';
    for (const p of points) {
      const line = toLineProtocol(p, this.opts.measurement);
      if (typeof line !== 'string') {
        bad++;
        firstError ||= `${line.error} (device ${p.deviceId}, ts ${p.ts})`;
        continue;
      }
      this.current ??= { lines: [], acks: [] };
      const batch = this.current;
      if (batch.lines.length % SETTLE_SLICE === 0) {
        const ack = deferred();
        this.track(ack.promise);
        batch.acks.push(ack);
      }
      const ack = batch.acks[batch.acks.length - 1].promise;
      if (waits[waits.length - 1] !== ack) waits.push(ack);
      batch.lines.push(line);
      this.bufferedLines++;
      if (batch.lines.length >= this.opts.batchSize) this.cut();
    }
    if (bad > 0) this.counters.noteRejected(bad, `invalid point(s): ${firstError}`);
    if (this.current && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.cut();
      }, this.opts.flushMs);
    }
    if (waits.length === 0) return Promise.resolve();
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => undefined);
  }

  private track(p: Promise<void>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.outstanding.add(settled);
    void settled.then(() => this.outstanding.delete(settled));
  }

  /** Closes the batch being filled and hands it to the sender. */
  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const b = this.current;
    this.current = null;
    if (!b || b.lines.length === 0) return;
    this.queue.push(b);
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.mode === 'spooling') {
        this.toSpool(this.queue.shift()!);
        continue;
      }
      if (this.inFlight >= this.opts.maxInFlight) return;
      const b = this.queue.shift()!;
      this.inFlight++;
      void this.sendDirect(b).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async sendDirect(b: Batch): Promise<void> {
    const r = await this.http.sendLines(b.lines.join('\n'), b.lines.length);
    if (r.ok) {
      this.bufferedLines -= b.lines.length;
      settle(b);
      return;
    }
    if (this.mode === 'direct') {
      this.mode = 'spooling';
      this.logger.warn(`InfluxDB unavailable (${r.reason}); spooling telemetry to disk until it returns`);
    }
    this.toSpool(b);
    this.startReplay();
  }

  private toSpool(b: Batch): void {
    this.counters.spooled += b.lines.length;
    this.spool.append(b.lines).then(
      () => {
        this.bufferedLines -= b.lines.length;
        settle(b);
      },
      (err: Error) => {
        this.bufferedLines -= b.lines.length;
        settle(b, new Error(`InfluxDB unavailable and the spool failed: ${err.message}`));
      },
    );
  }

  /** Sends the partial batch and resolves once every write so far is acknowledged or spooled. */
  async flush(): Promise<void> {
    this.cut();
    while (this.outstanding.size > 0) await Promise.all([...this.outstanding]);
  }
}
