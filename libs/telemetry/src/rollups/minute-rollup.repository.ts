import { sql } from 'kysely';
import type { Database } from '@bedside/database';
import type { DeviceKind } from '@bedside/contracts';
import { ROLLUP_VERSION, type Histogram, type MinuteRollup } from './minute-rollup';

// At most 8 bind parameters a row; PGlite breaks past 32767 parameters in one statement.
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

const flat = (h: Histogram) => Object.entries(h).flatMap(([value, count]) => [Number(value), count]);
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
      const saved = await this.database.db
        .insertInto('telemetry_minutes')
        .values(
          slice.map(({ rollup: r, baseSamples }) => ({
            bed_id: r.bedId,
            minute: new Date(r.minute),
            device_id: r.deviceId,
            kind: r.kind,
            version: ROLLUP_VERSION,
            samples: r.samples,
            base_samples: baseSamples,
            data: JSON.stringify(toData(r)),
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['bed_id', 'minute', 'device_id'])
            .doUpdateSet({
              kind: (eb) => eb.ref('excluded.kind'),
              version: (eb) => eb.ref('excluded.version'),
              samples: (eb) => eb.ref('excluded.samples'),
              base_samples: (eb) => eb.ref('excluded.base_samples'),
              data: (eb) => eb.ref('excluded.data'),
            })
            .where(sql<boolean>`telemetry_minutes.samples = excluded.base_samples`),
        )
        .returning(['bed_id', 'minute', 'device_id'])
        .execute();
      if (saved.length === slice.length) continue;
      const done = new Set(saved.map((s) => keyOf({ bedId: s.bed_id, deviceId: s.device_id, minute: ms(s.minute) })));
      for (const { rollup } of slice) if (!done.has(keyOf(rollup))) conflicts.push(rollup);
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
