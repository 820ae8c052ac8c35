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

interface RollupData {
  runs: number[];
  heartRate: Histogram;
  respirationRate: Histogram;
  spo2: Histogram;
  movementSum: number;
  movementCount: number;
}

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
            data: JSON.stringify({
              runs: r.runs,
              heartRate: r.heartRate,
              respirationRate: r.respirationRate,
              spo2: r.spo2,
              movementSum: r.movementSum,
              movementCount: r.movementCount,
            } satisfies RollupData),
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

  /** The bed's rollups with a minute in [from, to). */
  async ofBed(bedId: string, from: number, to: number): Promise<MinuteRollup[]> {
    const rows = await this.database.db
      .selectFrom('telemetry_minutes')
      .selectAll()
      .where('bed_id', '=', bedId)
      .where('minute', '>=', new Date(from))
      .where('minute', '<', new Date(to))
      .where('version', '=', ROLLUP_VERSION)
      .execute();
    return rows.map(fromRow);
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
  data: Record<string, unknown>;
}): MinuteRollup {
  const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as RollupData;
  return {
    bedId: r.bed_id,
    deviceId: r.device_id,
    kind: r.kind as DeviceKind,
    minute: ms(r.minute),
    samples: r.samples,
    ...data,
  };
}
