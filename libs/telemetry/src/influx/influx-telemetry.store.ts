import { join } from 'node:path';
import { DomainError, SETTLE_SLICE, inSlices } from '@bedside/common';
import { Logger, type LoggerService } from '@nestjs/common';
import { Point, escape, type PointSettings } from '@influxdata/influxdb-client';
import { TelemetryStore, type TelemetryStoreStats } from '../telemetry.store';
import {
  NUMERIC_FIELDS,
  STORED_NAME,
  type AggregateQuery,
  type AggregateRow,
  type NumericField,
  type TelemetryPoint,
  type TelemetryQuery,
} from '../telemetry-point';
import { DiskSpool } from './disk-spool';
import { durationLiteral, quoteIdent, quoteString, timeLiteral } from './influxql';

export interface InfluxTelemetryStoreOptions {
  /** Base URL of the v1-compatible HTTP API (InfluxDB 1.x, 2.x v1 compatibility, 3.x). */
  url: string;
  /** 1.x database, or the v1 database name mapped to a 2.x/3.x bucket (DBRP mapping). */
  database: string;
  retentionPolicy?: string;
  /** 2.x/3.x token, sent as `Authorization: Token …`. Takes precedence over username/password. */
  token?: string;
  username?: string;
  password?: string;
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

/** TelemetryPoint property -> InfluxDB field key (the same names as the SQL columns). */
export const INFLUX_FIELD = STORED_NAME;
const FLOAT_FIELDS = ['heartRate', 'respirationRate', 'movement', 'signalQuality', 'spo2', 'battery'] as const;

// Timestamps are numbers of ms and the write URL says precision=ms.
const MS_PRECISION: Partial<PointSettings> = {
  convertTime: (v) => (v === undefined ? undefined : v instanceof Date ? String(v.getTime()) : String(v)),
};

/**
 * Tag values the line protocol cannot carry faithfully: a trailing backslash would escape the
 * delimiter, and the client escapes control characters (\n, \r, \t) as two characters that
 * InfluxDB stores literally.
 */
function badTag(v: string): boolean {
  // eslint-disable-next-line no-control-regex
  return v.length === 0 || v.endsWith('\\') || /[\u0000-\u001f]/.test(v);
}

function checkPoint(p: TelemetryPoint): string | null {
  if (typeof p.deviceId !== 'string' || badTag(p.deviceId)) return `unusable device id ${JSON.stringify(p.deviceId)}`;
  if (p.bedId !== null && p.bedId !== undefined && (typeof p.bedId !== 'string' || (p.bedId !== '' && badTag(p.bedId))))
    return `unusable bed id ${JSON.stringify(p.bedId)}`;
  if (!Number.isSafeInteger(p.ts)) return `bad timestamp ${p.ts}`;
  return null;
}

/** The reference: the client's Point builds the line (sorted tags and fields, escaping, value checks). */
export function toLineProtocolWithPoint(p: TelemetryPoint, measurement = 'telemetry'): string | { error: string } {
  const bad = checkPoint(p);
  if (bad) return { error: bad };
  try {
    const pt = new Point(measurement).tag('device_id', p.deviceId).tag('kind', String(p.kind));
    if (p.bedId) pt.tag('bed_id', p.bedId);
    pt.intField('seq', p.seq);
    for (const f of FLOAT_FIELDS) {
      const v = p[f];
      if (v !== null && v !== undefined) pt.floatField(INFLUX_FIELD[f], v);
    }
    if (p.steps !== null && p.steps !== undefined) pt.intField('steps', p.steps);
    if (p.inBed !== null && p.inBed !== undefined) pt.booleanField('in_bed', p.inBed);
    if (p.worn !== null && p.worn !== undefined) pt.booleanField('worn', p.worn);
    pt.timestamp(p.ts);
    const line = pt.toLineProtocol(MS_PRECISION);
    return line ?? { error: 'point has no fields' };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

type FieldKind = 'float' | 'int' | 'bool';
/** Field keys in the order Point emits them (sorted), with how each is written. */
const FIELD_LAYOUT: readonly [keyof TelemetryPoint, string, FieldKind][] = (
  [
    ...FLOAT_FIELDS.map((f) => [f, INFLUX_FIELD[f], 'float'] as const),
    ['seq', 'seq', 'int'],
    ['steps', 'steps', 'int'],
    ['inBed', 'in_bed', 'bool'],
    ['worn', 'worn', 'bool'],
  ] as [keyof TelemetryPoint, string, FieldKind][]
).sort((a, b) => (a[1] < b[1] ? -1 : 1));
const INT_LIMIT = 9223372036854776e3;

/**
 * One point as a line of line protocol (ms timestamp), or an error message. Byte for byte what
 * toLineProtocolWithPoint gives (a spec holds them together over random points), built without
 * a Point per sample: Point sorts its keys on every call, and that was a tenth of all memory the
 * hub allocated per message. Anything unusual (a non-finite number) takes the Point path for its error.
 */
export function toLineProtocol(p: TelemetryPoint, measurement = 'telemetry'): string | { error: string } {
  const bad = checkPoint(p);
  if (bad) return { error: bad };
  if (typeof p.seq !== 'number') return toLineProtocolWithPoint(p, measurement);
  let fields = '';
  for (const [prop, key, kind] of FIELD_LAYOUT) {
    const v = p[prop];
    if (v === null || v === undefined) continue;
    let text: string;
    if (kind === 'bool') text = v ? 'T' : 'F';
    else if (typeof v !== 'number' || !Number.isFinite(v) || (kind === 'int' && Math.abs(v) >= INT_LIMIT))
      return toLineProtocolWithPoint(p, measurement);
    else text = kind === 'int' ? `${Math.floor(v)}i` : String(v);
    fields += fields ? `,${key}=${text}` : `${key}=${text}`;
  }
  if (fields === '') return toLineProtocolWithPoint(p, measurement);
  const bed = p.bedId ? `,bed_id=${escape.tag(p.bedId)}` : '';
  const kind = String(p.kind);
  return `${escape.measurement(measurement)}${bed},device_id=${escape.tag(p.deviceId)}${kind ? `,kind=${escape.tag(kind)}` : ''} ${fields} ${p.ts}`;
}

function unavailable(why: string): DomainError {
  return new DomainError(
    'UNAVAILABLE',
    `telemetry cannot be read now: ${why}; readings sent meanwhile are kept and can be read once it is back`,
  );
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

type SendResult = { ok: true } | { ok: false; reason: string };

interface InfluxSeries {
  name?: string;
  columns: string[];
  values?: unknown[][];
}

interface InfluxQueryResponse {
  error?: string;
  results?: { statement_id?: number; error?: string; series?: InfluxSeries[] }[];
}

/**
 * Telemetry in InfluxDB through the v1 HTTP API (never /api/v2): line protocol to
 * `/write?precision=ms`, InfluxQL on `/query`.
 *
 * Writes are buffered and sent in batches (INFLUX_BATCH_SIZE lines or INFLUX_FLUSH_MS). `write()`
 * resolves once InfluxDB has acknowledged the points (204) or, when InfluxDB is down, slow or
 * failing, once they are fsynced to the disk spool. While the spool holds anything, new batches
 * are appended behind it, and a background loop replays it oldest first, backing off while
 * InfluxDB stays unreachable; when it is empty, writes go straight to InfluxDB again. A spool
 * left by a previous run is replayed at start. Lines InfluxDB refuses (400: parse errors,
 * field type conflicts, points outside the retention policy) are counted and logged as rejected,
 * never retried, so they cannot wedge the spool.
 */
export class InfluxTelemetryStore extends TelemetryStore {
  readonly name = 'influx';
  private readonly logger: LoggerService;
  private readonly measurement: string;
  private readonly batchSize: number;
  private readonly flushMs: number;
  private readonly writeTimeoutMs: number;
  private readonly queryTimeoutMs: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly maxInFlight: number;
  private readonly writeUrl: string;
  private readonly queryUrl: string;
  private readonly headers: Record<string, string>;
  private readonly spool: DiskSpool;
  /** FROM clause: measurement, qualified by the retention policy when one is configured. */
  private readonly from: string;

  private current: Batch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: Batch[] = [];
  private readonly outstanding = new Set<Promise<void>>();
  private inFlight = 0;
  private bufferedLines = 0;
  private mode: 'direct' | 'spooling' = 'direct';
  private replay: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private closing = false;
  private closed = false;

  private counters = { written: 0, rejected: 0, spooled: 0, replayed: 0 };
  private rejectLog = { at: 0, pending: 0 };

  constructor(opts: InfluxTelemetryStoreOptions) {
    super();
    this.logger = opts.logger ?? new Logger('InfluxTelemetryStore');
    this.measurement = opts.measurement ?? 'telemetry';
    this.batchSize = opts.batchSize ?? 5000;
    this.flushMs = Math.min(opts.flushMs ?? 200, 1000);
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 10_000;
    this.queryTimeoutMs = opts.queryTimeoutMs ?? 30_000;
    this.retryMinMs = opts.retryMinMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 5000;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 2);

    const base = opts.url.replace(/\/+$/, '');
    const common = new URLSearchParams({ db: opts.database });
    if (!opts.token && opts.username) {
      common.set('u', opts.username);
      common.set('p', opts.password ?? '');
    }
    const write = new URLSearchParams(common);
    if (opts.retentionPolicy) write.set('rp', opts.retentionPolicy);
    write.set('precision', 'ms');
    this.writeUrl = `${base}/write?${write}`;
    const query = new URLSearchParams(common);
    query.set('epoch', 'ms');
    this.queryUrl = `${base}/query?${query}`;
    this.headers = opts.token ? { authorization: `Token ${opts.token}` } : {};
    this.from = opts.retentionPolicy
      ? `${quoteIdent(opts.retentionPolicy)}.${quoteIdent(this.measurement)}`
      : quoteIdent(this.measurement);

    this.spool = new DiskSpool({
      dir: opts.spoolDir,
      maxBytes: opts.spoolMaxBytes,
      segmentBytes: opts.spoolSegmentBytes,
      logger: this.logger,
    });
    if (!this.spool.isEmpty) {
      this.mode = 'spooling';
      this.startReplay();
    }
  }

  // ---------------------------------------------------------------- writes

  write(points: TelemetryPoint[]): Promise<void> {
    if (this.closing) return Promise.reject(new Error('telemetry store is closed'));
    const waits: Promise<void>[] = [];
    let bad = 0;
    let firstError = '';
    for (const p of points) {
      const line = toLineProtocol(p, this.measurement);
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
      if (batch.lines.length >= this.batchSize) this.cut();
    }
    if (bad > 0) this.noteRejected(bad, `invalid point(s): ${firstError}`);
    if (this.current && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.cut();
      }, this.flushMs);
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
      if (this.inFlight >= this.maxInFlight) return;
      const b = this.queue.shift()!;
      this.inFlight++;
      void this.sendDirect(b).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async sendDirect(b: Batch): Promise<void> {
    const r = await this.sendLines(b.lines.join('\n'), b.lines.length);
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

  /**
   * POSTs lines; ok when InfluxDB took them or refused them for good (counted as rejected),
   * not ok when it is unreachable, slow or failing (the caller spools or retries).
   */
  private async sendLines(body: string, lines: number): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(this.writeUrl, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'text/plain; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.writeTimeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason =
        e.name === 'TimeoutError'
          ? `no answer within ${this.writeTimeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, reason };
    }
    const text = res.status === 204 ? '' : await res.text().catch(() => '');
    if (res.status === 204 || res.status === 200) {
      this.counters.written += lines;
      return { ok: true };
    }
    if (res.status === 413 && lines > 1) {
      const all = body.split('\n');
      const half = Math.ceil(all.length / 2);
      const a = await this.sendLines(all.slice(0, half).join('\n'), half);
      if (!a.ok) return a;
      return this.sendLines(all.slice(half).join('\n'), all.length - half);
    }
    if (res.status === 400 || res.status === 413 || res.status === 422) {
      const message = errorMessage(text) || `HTTP ${res.status}`;
      const m = /dropped=(\d+)/.exec(message);
      const refused = m ? Math.min(lines, Number(m[1])) : lines;
      this.counters.written += lines - refused;
      this.noteRejected(refused, message);
      return { ok: true };
    }
    return { ok: false, reason: `HTTP ${res.status}${text ? `: ${errorMessage(text).slice(0, 200)}` : ''}` };
  }

  private noteRejected(n: number, message: string): void {
    this.counters.rejected += n;
    this.rejectLog.pending += n;
    const now = Date.now();
    if (now - this.rejectLog.at >= 10_000) {
      this.logger.warn(
        `InfluxDB rejected ${this.rejectLog.pending} telemetry point(s) (${this.counters.rejected} in total); latest: ${message.slice(0, 300)}`,
      );
      this.rejectLog = { at: now, pending: 0 };
    }
  }

  private startReplay(): void {
    if (this.replay || this.closed) return;
    this.replay = this.replayLoop().finally(() => {
      this.replay = null;
    });
  }

  private async replayLoop(): Promise<void> {
    let delay = this.retryMinMs;
    let failing = false;
    const startDepth = this.spool.depthPoints;
    while (!this.closed) {
      if (this.spool.isEmpty) {
        this.mode = 'direct';
        this.logger.log(
          `InfluxDB reachable; spool replayed (${this.counters.replayed} points so far, ${startDepth} pending at start of this replay); writing directly again`,
        );
        this.pump();
        return;
      }
      let batch;
      try {
        batch = await this.spool.peek(Math.max(this.batchSize, 5000));
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
      const r = await this.sendLines(batch.body, batch.lines);
      if (!r.ok) {
        if (!failing)
          this.logger.warn(
            `InfluxDB still unavailable (${r.reason}); ${this.spool.depthPoints} points spooled; retrying with backoff`,
          );
        failing = true;
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.retryMaxMs);
        continue;
      }
      if (failing) this.logger.log(`InfluxDB is back; replaying ${this.spool.depthPoints} spooled points`);
      failing = false;
      delay = this.retryMinMs;
      this.counters.replayed += batch.lines;
      await this.spool.commit(batch);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  async flush(): Promise<void> {
    this.cut();
    while (this.outstanding.size > 0) await Promise.all([...this.outstanding]);
  }

  /**
   * Waits until the spool is empty and writes go straight to InfluxDB again (false on timeout).
   * For tests and orderly shutdowns; write() never needs it.
   */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    await this.flush();
    while (Date.now() < deadline) {
      if (this.mode === 'direct' && this.spool.isEmpty && this.queue.length === 0 && this.inFlight === 0) return true;
      this.wake?.();
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    await this.flush();
    this.closed = true;
    this.wake?.();
    if (this.replay) await this.replay;
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
      bufferedPoints: this.bufferedLines,
      spoolBytes: this.spool.bytes,
      spoolSegments: this.spool.segmentCount,
      spoolDepthPoints: this.spool.depthPoints,
      spoolOldestAgeMs: this.spool.oldestAgeMs(),
      spooling: this.mode === 'spooling',
    };
  }

  // ---------------------------------------------------------------- reads

  private async influxql(q: string): Promise<InfluxSeries[]> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.queryUrl}&q=${encodeURIComponent(q)}`, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.queryTimeoutMs),
      });
      text = await res.text();
    } catch (err) {
      // Down or not answering: the caller gets 503 with the reason, not an opaque 500.
      throw unavailable(`InfluxDB is not answering (${(err as Error).message})`);
    }
    if (res.status >= 500 || res.status === 429) throw unavailable(`InfluxDB answered HTTP ${res.status}`);
    let body: InfluxQueryResponse;
    try {
      body = JSON.parse(text) as InfluxQueryResponse;
    } catch {
      throw new Error(`InfluxDB query failed: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
    const err = body.error ?? body.results?.[0]?.error;
    if (err) throw new Error(`InfluxDB query failed: ${err}`);
    if (!res.ok) throw new Error(`InfluxDB query failed: HTTP ${res.status}`);
    return body.results?.[0]?.series ?? [];
  }

  private where(q: TelemetryQuery): string {
    const parts = [`time >= ${timeLiteral(q.from)}`, `time < ${timeLiteral(q.to)}`];
    if (q.bedId !== undefined) parts.push(`${quoteIdent('bed_id')} = ${quoteString(q.bedId)}`);
    if (q.deviceId !== undefined) parts.push(`${quoteIdent('device_id')} = ${quoteString(q.deviceId)}`);
    return parts.join(' AND ');
  }

  async query(q: TelemetryQuery): Promise<TelemetryPoint[]> {
    if (q.to <= q.from) return [];
    const limit = q.limit ?? 10_000;
    const cols = ['device_id', 'bed_id', 'kind', ...Object.values(INFLUX_FIELD)];
    const stmt = `SELECT ${cols.map(quoteIdent).join(', ')} FROM ${this.from} WHERE ${this.where(q)} ORDER BY time ASC LIMIT ${Math.max(1, Math.floor(limit))}`;
    const out: TelemetryPoint[] = [];
    for (const s of await this.influxql(stmt)) {
      const idx = new Map(s.columns.map((c, i) => [c, i]));
      for (const row of s.values ?? []) {
        const v = (c: string): unknown => {
          const i = idx.get(c);
          return i === undefined ? null : row[i];
        };
        const p: TelemetryPoint = {
          deviceId: String(v('device_id')),
          bedId: v('bed_id') === null || v('bed_id') === '' ? null : String(v('bed_id')),
          kind: String(v('kind')) as TelemetryPoint['kind'],
          seq: Number(v('seq')),
          ts: Number(v('time')),
        };
        for (const f of NUMERIC_FIELDS) {
          const x = v(INFLUX_FIELD[f]);
          if (x !== null && x !== undefined) p[f] = Number(x);
        }
        for (const f of ['inBed', 'worn'] as const) {
          const x = v(INFLUX_FIELD[f]);
          if (x !== null && x !== undefined) p[f] = Boolean(x);
        }
        out.push(p);
      }
    }
    out.sort((a, b) => a.ts - b.ts || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
    return out.slice(0, limit);
  }

  async aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    if (q.to <= q.from || q.fields.length === 0) return [];
    const sel: string[] = [];
    for (const f of q.fields) {
      const col = quoteIdent(INFLUX_FIELD[f]);
      for (const fn of ['min', 'mean', 'max', 'count']) sel.push(`${fn}(${col}) AS ${quoteIdent(`${f}_${fn}`)}`);
    }
    const stmt = `SELECT ${sel.join(', ')} FROM ${this.from} WHERE ${this.where(q)} GROUP BY time(${durationLiteral(q.intervalMs)}) fill(none)`;
    const rows: AggregateRow[] = [];
    for (const s of await this.influxql(stmt)) {
      const idx = new Map(s.columns.map((c, i) => [c, i]));
      for (const row of s.values ?? []) {
        const v = (c: string): number | null => {
          const i = idx.get(c);
          const x = i === undefined ? null : row[i];
          return x === null || x === undefined ? null : Number(x);
        };
        const values: AggregateRow['values'] = {};
        for (const f of q.fields) {
          const count = v(`${f}_count`) ?? 0;
          if (count > 0) values[f] = { min: v(`${f}_min`)!, mean: v(`${f}_mean`)!, max: v(`${f}_max`)!, count };
        }
        if (Object.keys(values).length > 0) rows.push({ ts: Number(row[idx.get('time')!]), values });
      }
    }
    rows.sort((a, b) => a.ts - b.ts);
    return rows;
  }
}

function errorMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof j.error === 'string') return j.error;
    if (typeof j.message === 'string') return j.message;
  } catch {
    /* not JSON */
  }
  return text.trim();
}

export function influxSpoolDir(dataDir: string): string {
  return join(dataDir, 'spool');
}
