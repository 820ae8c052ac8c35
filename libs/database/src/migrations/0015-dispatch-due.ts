import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Due times of work orders. Each organisation may expect each kind of responder on site within
 * so many seconds of being dispatched, and the work order closed so many seconds after arrival
 * (no row: the built-in defaults). A dispatch stores the due time of the step it waits for, fixed
 * when that step starts, and when it was flagged late for that step, so the flag is raised once
 * however many sweeps (or nodes) see it, and when it first ran late at any step (kept, for the
 * monthly report). Dispatches made before this have no due time.
 */
export const dispatchDue: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dispatch_expectations')
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('responder_type', 'text', (c) =>
        c.notNull().check(sql`responder_type in ('keyholder', 'community_worker', 'ambulance')`),
      )
      .addColumn('on_site_within_s', 'integer', (c) => c.notNull().check(sql`on_site_within_s between 1 and 86400`))
      // null: no close-out expectation for this responder type.
      .addColumn('close_within_s', 'integer', (c) => c.check(sql`close_within_s between 1 and 604800`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('dispatch_expectations_pk', ['organisation_id', 'responder_type'])
      .execute();

    await db.schema
      .alterTable('dispatches')
      .addColumn('due_at', 'timestamptz')
      .addColumn('overdue_at', 'timestamptz')
      .addColumn('first_overdue_at', 'timestamptz')
      .execute();
    // The sweep's claim: open work orders past due and not flagged yet.
    await db.schema
      .createIndex('dispatches_due_idx')
      .on('dispatches')
      .column('due_at')
      .where(sql.ref('overdue_at'), 'is', null)
      .execute();
    await db.schema
      .createIndex('dispatches_org_open_idx')
      .on('dispatches')
      .columns(['organisation_id', 'status'])
      .execute();
  },
};
