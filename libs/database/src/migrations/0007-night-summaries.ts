import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Wellness: one summary per bed and night (the local date the night starts), with the baseline
 * and deviations it was assessed against; and the nights waiting to be (re)computed because
 * telemetry for them arrived after they were summarised, or a supervisor asked; and each
 * organisation's deviation thresholds where it changed the defaults.
 */
export const nightSummaries: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('night_summaries')
      .addColumn('bed_id', 'uuid', (c) => c.notNull().references('beds.id'))
      .addColumn('night', 'text', (c) => c.notNull().check(sql`night ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
      // The resident in the bed when the night was computed: their history follows them.
      .addColumn('resident_id', 'uuid', (c) => c.references('residents.id'))
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('window_start', 'timestamptz', (c) => c.notNull())
      .addColumn('window_end', 'timestamptz', (c) => c.notNull())
      .addColumn('has_data', 'boolean', (c) => c.notNull())
      .addColumn('summary', 'jsonb', (c) => c.notNull())
      .addColumn('baseline', 'jsonb', (c) => c.notNull())
      .addColumn('deviations', 'jsonb', (c) => c.notNull())
      .addColumn('flagged', 'boolean', (c) => c.notNull())
      // Definitions of the figures (SUMMARY_VERSION) and how many times this night was computed.
      .addColumn('summary_version', 'integer', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('night_summaries_pk', ['bed_id', 'night'])
      .execute();
    await db.schema
      .createIndex('night_summaries_resident_idx')
      .on('night_summaries')
      .columns(['resident_id', 'night'])
      .execute();
    await db.schema
      .createIndex('night_summaries_org_night_idx')
      .on('night_summaries')
      .columns(['organisation_id', 'night'])
      .execute();

    await db.schema
      .createTable('night_summary_requests')
      .addColumn('bed_id', 'uuid', (c) => c.notNull().references('beds.id'))
      .addColumn('night', 'text', (c) => c.notNull())
      // The latest reason; a computation that started before it leaves the request in place.
      .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('late_data', 'manual')`))
      .addPrimaryKeyConstraint('night_summary_requests_pk', ['bed_id', 'night'])
      .execute();

    await db.schema
      .createTable('wellness_thresholds')
      .addColumn('organisation_id', 'uuid', (c) => c.primaryKey().references('organisations.id'))
      .addColumn('thresholds', 'jsonb', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
  },
};
