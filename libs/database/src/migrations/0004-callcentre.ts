import { sql, type Kysely, type Migration } from 'kysely';

/** Call-centre work: dispatches (work orders), display confirmations, outbound webhooks. */
export const callcentre: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dispatches')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('alarm_id', 'uuid', (c) => c.notNull())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull())
      .addColumn('responder_type', 'text', (c) =>
        c.notNull().check(sql`responder_type in ('keyholder', 'community_worker', 'ambulance')`),
      )
      .addColumn('responder_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('dispatched', 'en_route', 'on_site', 'closed')`),
      )
      .addColumn('note', 'text')
      .addColumn('history', 'jsonb', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dispatches_alarm_idx').on('dispatches').column('alarm_id').execute();

    await db.schema
      .createTable('alarm_displays')
      .addColumn('alarm_id', 'uuid', (c) => c.primaryKey())
      .addColumn('first_displayed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('displayed_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('event_types', 'jsonb', (c) => c.notNull())
      .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('webhook_id', 'uuid', (c) => c.notNull().references('webhooks.id'))
      .addColumn('event_id', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'event_id'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due_idx')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};
