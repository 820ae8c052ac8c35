import { sql } from 'kysely';
import { GroupCommit } from '@bedside/common';
import type { Database, TelemetrySamplesTable } from '@bedside/database';
import type { Insertable, Selectable } from 'kysely';
import { TelemetryStore, type TelemetryStoreStats } from './telemetry.store';
import {
  STORED_NAME as COLUMN,
  type AggregateQuery,
  type AggregateRow,
  type TelemetryPoint,
  type TelemetryQuery,
} from './telemetry-point';

// 14 bind parameters a row. PostgreSQL caps a statement at 65535, but PGlite's protocol parser
// reads the parameter count as a signed 16-bit number and breaks past 32767: stay below that.
const ROWS_PER_INSERT = 2000;

function toRow(p: TelemetryPoint): Insertable<TelemetrySamplesTable> {
  return {
    device_id: p.deviceId,
    ts: new Date(p.ts),
    bed_id: p.bedId,
    kind: p.kind,
    seq: p.seq,
    heart_rate: p.heartRate ?? null,
    respiration_rate: p.respirationRate ?? null,
    in_bed: p.inBed ?? null,
    movement: p.movement ?? null,
    signal_quality: p.signalQuality ?? null,
    spo2: p.spo2 ?? null,
    steps: p.steps ?? null,
    worn: p.worn ?? null,
    battery: p.battery ?? null,
  };
}

function fromRow(r: Selectable<TelemetrySamplesTable>): TelemetryPoint {
  const p: TelemetryPoint = {
    deviceId: r.device_id,
    bedId: r.bed_id,
    kind: r.kind as TelemetryPoint['kind'],
    seq: Number(r.seq),
    ts: new Date(r.ts).getTime(),
  };
  if (r.heart_rate !== null) p.heartRate = r.heart_rate;
  if (r.respiration_rate !== null) p.respirationRate = r.respiration_rate;
  if (r.in_bed !== null) p.inBed = r.in_bed;
  if (r.movement !== null) p.movement = r.movement;
  if (r.signal_quality !== null) p.signalQuality = r.signal_quality;
  if (r.spo2 !== null) p.spo2 = r.spo2;
  if (r.steps !== null) p.steps = r.steps;
  if (r.worn !== null) p.worn = r.worn;
  if (r.battery !== null) p.battery = r.battery;
  return p;
}

/** Telemetry in the hub's own SQL database: the embedded default. */
export class SqlTelemetryStore extends TelemetryStore {
  readonly name = 'sql';
  private written = 0;
  private readonly commit: GroupCommit<TelemetryPoint[]>;

  /**
   * Writes from many devices are group-committed: gathered for `delayMs` (up to `maxBatch`
   * writes) into one transaction, so a fleet costs a few inserts a second rather than one per
   * sample. Each write() still resolves only once its points are stored.
   */
  constructor(
    private readonly database: Database,
    batching: { delayMs: number; maxBatch: number } = { delayMs: 0, maxBatch: 2000 },
  ) {
    super();
    this.commit = new GroupCommit((batches) => this.insert(batches.flat()), batching);
  }

  write(points: TelemetryPoint[]): Promise<void> {
    return this.commit.submit(points);
  }

  private async insert(points: TelemetryPoint[]): Promise<void> {
    for (let i = 0; i < points.length; i += ROWS_PER_INSERT) {
      const rows = points.slice(i, i + ROWS_PER_INSERT).map(toRow);
      await this.database.db
        .insertInto('telemetry_samples')
        .values(rows)
        .onConflict((oc) => oc.columns(['device_id', 'ts']).doNothing())
        .execute();
      this.written += rows.length;
    }
  }

  override stats(): TelemetryStoreStats {
    return { ...super.stats(), written: this.written };
  }

  async query(q: TelemetryQuery): Promise<TelemetryPoint[]> {
    let query = this.database.db
      .selectFrom('telemetry_samples')
      .selectAll()
      .where('ts', '>=', new Date(q.from))
      .where('ts', '<', new Date(q.to));
    if (q.bedId) query = query.where('bed_id', '=', q.bedId);
    if (q.deviceId) query = query.where('device_id', '=', q.deviceId);
    const rows = await query
      .orderBy('ts')
      .orderBy('device_id')
      .limit(q.limit ?? 10_000)
      .execute();
    return rows.map(fromRow);
  }

  async aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    const bucket = sql<number>`floor(extract(epoch from ts) * 1000 / ${q.intervalMs})::bigint * ${q.intervalMs}`;
    let query = this.database.db
      .selectFrom('telemetry_samples')
      .select(bucket.as('bucket'))
      .where('ts', '>=', new Date(q.from))
      .where('ts', '<', new Date(q.to));
    for (const f of q.fields) {
      const col = sql.ref(COLUMN[f]);
      query = query.select([
        sql<number | null>`min(${col})`.as(`${f}_min`),
        sql<number | null>`avg(${col})::float8`.as(`${f}_mean`),
        sql<number | null>`max(${col})`.as(`${f}_max`),
        sql<number>`count(${col})`.as(`${f}_count`),
      ]);
    }
    if (q.bedId) query = query.where('bed_id', '=', q.bedId);
    if (q.deviceId) query = query.where('device_id', '=', q.deviceId);
    const rows = (await query.groupBy('bucket').orderBy('bucket').execute()) as Record<string, number | null>[];
    const out: AggregateRow[] = [];
    for (const r of rows) {
      const values: AggregateRow['values'] = {};
      for (const f of q.fields) {
        const count = Number(r[`${f}_count`] ?? 0);
        if (count > 0)
          values[f] = { min: Number(r[`${f}_min`]), mean: Number(r[`${f}_mean`]), max: Number(r[`${f}_max`]), count };
      }
      // An interval with samples but none of the requested fields is empty for the caller.
      if (Object.keys(values).length > 0) out.push({ ts: Number(r.bucket), values });
    }
    return out;
  }

  flush(): Promise<void> {
    return this.commit.drain();
  }

  close(): Promise<void> {
    return this.commit.drain();
  }
}
