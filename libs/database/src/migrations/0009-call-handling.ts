import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Call handling: alarm holds, coded timeline notes, action plans per alarm kind, call attempts
 * and shift handovers.
 */
export const callHandling: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('alarms')
      .addColumn('held_since', 'timestamptz')
      .addColumn('held_until', 'timestamptz')
      .addColumn('hold_reason', 'text')
      .addColumn('held_by', 'text')
      .addColumn('hold_escalates', 'boolean')
      .execute();
    // The hold timer finds every held alarm at start.
    await db.schema
      .createIndex('alarms_held_idx')
      .on('alarms')
      .column('held_until')
      .where(sql.ref('held_until'), 'is not', null)
      .execute();
    // History search: an organisation's alarms by time.
    await db.schema
      .createIndex('alarms_org_raised_idx')
      .on('alarms')
      .columns(['organisation_id', 'raised_at'])
      .execute();

    // A server-written note as a code with parameters; `note` keeps its English rendering.
    await db.schema
      .alterTable('alarm_audit')
      .addColumn('note_code', 'text')
      .addColumn('note_params', 'jsonb')
      .execute();

    await db.schema
      .createTable('action_plans')
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('steps', 'jsonb', (c) => c.notNull())
      .addColumn('responders', 'jsonb', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('action_plans_pk', ['organisation_id', 'kind'])
      .execute();

    await db.schema
      .createTable('call_attempts')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('alarm_id', 'uuid', (c) => c.notNull().references('alarms.id'))
      .addColumn('organisation_id', 'uuid', (c) => c.notNull())
      .addColumn('callee_type', 'text', (c) => c.notNull().check(sql`callee_type in ('contact', 'responder')`))
      .addColumn('callee_name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) =>
        c.notNull().check(sql`outcome in ('answered', 'no_answer', 'busy', 'wrong_number')`),
      )
      .addColumn('note', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('call_attempts_alarm_idx').on('call_attempts').columns(['alarm_id', 'at']).execute();

    await db.schema
      .createTable('handovers')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('summary', 'text', (c) => c.notNull())
      // Open and held alarms at the time of writing, and the follow-ups the outgoing shift lists.
      .addColumn('items', 'jsonb', (c) => c.notNull())
      .addColumn('written_by', 'text', (c) => c.notNull())
      .addColumn('written_at', 'timestamptz', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', 'timestamptz')
      .execute();
    await db.schema
      .createIndex('handovers_org_idx')
      .on('handovers')
      .columns(['organisation_id', 'written_at'])
      .execute();
  },
};
