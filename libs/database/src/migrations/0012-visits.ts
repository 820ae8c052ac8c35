import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Home visits (巡访) as work orders: planned from wellness deviations, from an organisation's
 * visiting policy per resident category, or as an operator's follow-up to an alarm; each with
 * its timeline in `history`, like a dispatch. A visit's source and source key make planning
 * idempotent: the same night, alarm, or predecessor of a policy visit never plans a second
 * visit for a resident.
 */
export const visits: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('visits')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('resident_id', 'uuid', (c) => c.notNull().references('residents.id'))
      .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id'))
      .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('deviation', 'policy', 'alarm', 'manual')`))
      .addColumn('source_key', 'text', (c) => c.notNull())
      .addColumn('alarm_id', 'uuid', (c) => c.references('alarms.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) =>
        c.notNull().check(sql`state in ('planned', 'assigned', 'visited', 'not_home', 'cancelled')`),
      )
      .addColumn('assignee_kind', 'text', (c) => c.check(sql`assignee_kind in ('worker', 'team')`))
      .addColumn('assignee', 'text')
      .addColumn('due_at', 'timestamptz', (c) => c.notNull())
      .addColumn('checked_in_at', 'timestamptz')
      .addColumn('outcome', 'text')
      .addColumn('notes', 'text')
      // Set once, when the visit is first seen open past its due time: the live flag is sent then.
      .addColumn('overdue_at', 'timestamptz')
      .addColumn('history', 'jsonb', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('visits_source_uq', ['resident_id', 'source', 'source_key'])
      .execute();
    await db.schema.createIndex('visits_org_due_idx').on('visits').columns(['organisation_id', 'due_at']).execute();
    await db.schema.createIndex('visits_resident_idx').on('visits').columns(['resident_id', 'due_at']).execute();
    await db.schema.createIndex('visits_state_idx').on('visits').columns(['state', 'due_at']).execute();

    await db.schema
      .createTable('visit_policies')
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('interval_days', 'integer', (c) => c.notNull().check(sql`interval_days between 1 and 366`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('visit_policies_pk', ['organisation_id', 'category'])
      .execute();

    await db.schema
      .createTable('resident_categories')
      .addColumn('resident_id', 'uuid', (c) => c.notNull().references('residents.id'))
      .addColumn('category', 'text', (c) => c.notNull())
      // A policy's first visit falls due one interval after the resident entered the category.
      .addColumn('since', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('resident_categories_pk', ['resident_id', 'category'])
      .execute();
  },
};
