import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Per-minute rollups of telemetry, folded at ingest whatever the telemetry backend, so a nightly
 * summary reads about a thousand rows a device instead of one per sample. One row per bed,
 * device and minute; `data` holds the sample instants and states as runs and the vital signs as
 * histograms (libs/telemetry MinuteRollup), as `json` (kept as text: a night reads thousands of
 * rows whole and never looks inside them in SQL). `base_samples` is the sample count the writer saw
 * before its fold, checked on update so that two writers of one row cannot lose each other's
 * samples. `telemetry_minutes_since` says from when rollups are complete: null when the hub had
 * no device when rollups began (nothing stored before them), else that instant; a night that
 * starts earlier is summarised from the raw samples.
 */
export const telemetryMinutes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('telemetry_minutes')
      .addColumn('bed_id', 'uuid', (c) => c.notNull())
      .addColumn('minute', 'timestamptz', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('version', 'smallint', (c) => c.notNull())
      .addColumn('samples', 'integer', (c) => c.notNull().check(sql`samples > 0`))
      .addColumn('base_samples', 'integer', (c) => c.notNull())
      .addColumn('data', 'json', (c) => c.notNull())
      .addPrimaryKeyConstraint('telemetry_minutes_pk', ['bed_id', 'minute', 'device_id'])
      .execute();
    await db.schema
      .createTable('telemetry_minutes_since')
      .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('since', 'timestamptz')
      .execute();
    await sql`insert into telemetry_minutes_since (id, since)
              select 1, case when exists (select 1 from devices) then now() else null end`.execute(db);
  },
};
