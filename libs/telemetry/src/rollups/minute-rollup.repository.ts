import { sql } from 'kysely';
import type { Database } from '@bedside/database';
import type { DeviceKind } from '@bedside/contracts';
import { ROLLUP_VERSION, type Histogram, type MinuteRollup } from './minute-rollup';

// Rows a statement: a bound on one statement's size.
const ROWS_PER_STATEMENT = 2000;

export interface RollupKey {
  bedId: string;
  deviceId: string;
  minute: number;
}

/** A rollup to store, with the sample count its row had when the fold began (0: no row). */
export interface RollupWrite {
  rollup: MinuteRollup;
  baseSamples: number;
}

/**
 * A row's `data`, compact since a night is read as thousands of them: [runs, heart rate,
 * respiration rate, SpO2, movement sum, movement count], each histogram flattened to
 * [value, count, value, count, ...].
 */
type RollupData = [number[], number[], number[], number[], number, number];

function flat(h: Histogram): number[] {
  const out: number[] = [];
  for (const value in h) out.push(Number(value), h[value]);
  return out;
}
function histogram(pairs: readonly number[]): Histogram {
  const h: Histogram = {};
  for (let i = 0; i < pairs.length; i += 2) h[String(pairs[i])] = pairs[i + 1];
  return h;
}
const toData = (r: MinuteRollup): RollupData => [
  r.runs,
  flat(r.heartRate),
  flat(r.respirationRate),
  flat(r.spo2),
  r.movementSum,
  r.movementCount,
];
const fromData = ([runs, heartRate, respirationRate, spo2, movementSum, movementCount]: RollupData) => ({
  runs,
  heartRate: histogram(heartRate),
  respirationRate: histogram(respirationRate),
  spo2: histogram(spo2),
  movementSum,
  movementCount,
});

export const keyOf = (k: RollupKey) => `${k.bedId}|${k.deviceId}|${k.minute}`;

/** The `telemetry_minutes` table: per-minute rollups, always in the hub's SQL database. */
export class MinuteRollupRepository {
  constructor(private readonly database: Database) {}

  /** The stored rollups among these keys. */
  async load(keys: readonly RollupKey[]): Promise<MinuteRollup[]> {
    const out: MinuteRollup[] = [];
    for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) {
      const slice = keys.slice(i, i + ROWS_PER_STATEMENT);
      const rows = await this.database.db
        .selectFrom('telemetry_minutes')
        .selectAll()
        .where('version', '=', ROLLUP_VERSION)
        .where(
          sql<boolean>`(bed_id, minute, device_id) in (${sql.join(
            slice.map((k) => sql`(${k.bedId}::uuid, ${new Date(k.minute)}::timestamptz, ${k.deviceId})`),
          )})`,
        )
        .execute();
      out.push(...rows.map(fromRow));
    }
    return out;
  }

  /**
   * Inserts or replaces each rollup, unless its row changed since the fold began (another writer
   * added samples): those are answered, to be loaded and folded again.
   */
  async save(writes: readonly RollupWrite[]): Promise<RollupKey[]> {
    const conflicts: RollupKey[] = [];
    for (let i = 0; i < writes.length; i += ROWS_PER_STATEMENT) {
      const slice = writes.slice(i, i + ROWS_PER_STATEMENT);
      const rollups = slice.map((w) => w.rollup);
      // One array a column (unnest): a batch of thousands of rows is eight parameters, not
      // eight a row, which spares building and serialising a parameter per value.
      const saved = await sql<{ bed_id: string; device_id: string; minute: number }>`
        insert into telemetry_minutes (bed_id, minute, device_id, kind, version, samples, base_samples, data)
        select b, to_timestamp(m / 1000.0), d, k, ${ROLLUP_VERSION}, s, bs, j::json
          from unnest(${rollups.map((r) => r.bedId)}::uuid[], ${rollups.map((r) => r.minute)}::float8[],
                      ${rollups.map((r) => r.deviceId)}::text[], ${rollups.map((r) => r.kind)}::text[],
                      ${rollups.map((r) => r.samples)}::int[], ${slice.map((w) => w.baseSamples)}::int[],
                      ${rollups.map((r) => JSON.stringify(toData(r)))}::text[]) as t(b, m, d, k, s, bs, j)
        on conflict (bed_id, minute, device_id) do update
           set kind = excluded.kind, version = excluded.version, samples = excluded.samples,
               base_samples = excluded.base_samples, data = excluded.data
         where telemetry_minutes.samples = excluded.base_samples
        returning bed_id, device_id, (extract(epoch from minute) * 1000)::float8 as minute`.execute(this.database.db);
      if (saved.rows.length === slice.length) continue;
      const done = new Set(saved.rows.map((s) => keyOf({ bedId: s.bed_id, deviceId: s.device_id, minute: s.minute })));
      for (const r of rollups) if (!done.has(keyOf(r))) conflicts.push(r);
    }
    return conflicts;
  }

  /**
   * The bed's rollups with a minute in [from, to). A night is about a thousand rows a device:
   * they come back as one JSON array a device, which costs the driver far less than a row each.
   */
  async ofBed(bedId: string, from: number, to: number): Promise<MinuteRollup[]> {
    const rows = await this.database.db
      .selectFrom('telemetry_minutes')
      .select([
        'device_id',
        sql<string>`min(kind)`.as('kind'),
        sql<string>`json_agg(json_build_array((extract(epoch from minute) * 1000)::float8, samples, data) order by minute)::text`.as(
          'minutes',
        ),
      ])
      .where('bed_id', '=', bedId)
      .where('minute', '>=', new Date(from))
      .where('minute', '<', new Date(to))
      .where('version', '=', ROLLUP_VERSION)
      .groupBy('device_id')
      .execute();
    return rows.flatMap((r) =>
      (JSON.parse(r.minutes) as [number, number, RollupData][]).map(([minute, samples, data]) => ({
        bedId,
        deviceId: r.device_id,
        kind: r.kind as DeviceKind,
        minute,
        samples,
        ...fromData(data),
      })),
    );
  }

  /** From when rollups are complete: null for all telemetry (they began before any device). */
  async completeSince(): Promise<number | null> {
    const row = await this.database.db.selectFrom('telemetry_minutes_since').select('since').executeTakeFirst();
    return row?.since ? ms(row.since) : null;
  }
}

const ms = (t: Date | string) => new Date(t).getTime();

function fromRow(r: {
  bed_id: string;
  minute: Date | string;
  device_id: string;
  kind: string;
  samples: number;
  data: unknown;
}): MinuteRollup {
  const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as RollupData;
  return {
    bedId: r.bed_id,
    deviceId: r.device_id,
    kind: r.kind as DeviceKind,
    minute: ms(r.minute),
    samples: r.samples,
    ...fromData(data),
  };
}
