import { sql, type Kysely, type Migration } from 'kysely';

/** Rules engine and alarm lifecycle: alarms, their audit timeline and stream log, per-bed rule state, rule sets. */
export const alarms: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('alarms')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('bed_id', 'uuid', (c) => c.notNull().references('beds.id'))
      // Device id for device-scoped kinds (offline, battery), null for bed-scoped ones.
      .addColumn('subject', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) =>
        c.notNull().check(sql`severity in ('critical', 'major', 'minor', 'warning')`),
      )
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('raised', 'acknowledged', 'resolved')`))
      .addColumn('cleared', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('cleared_at', 'timestamptz')
      .addColumn('cancelled_by_resident_at', 'timestamptz')
      .addColumn('repeat_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('raised_at', 'timestamptz', (c) => c.notNull())
      .addColumn('acknowledged_at', 'timestamptz')
      .addColumn('acknowledged_by', 'text')
      .addColumn('resolved_at', 'timestamptz')
      .addColumn('resolved_by', 'text')
      .addColumn('outcome', 'text')
      .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_escalated_at', 'timestamptz')
      .addColumn('next_escalation_at', 'timestamptz')
      .addColumn('incident_id', 'uuid', (c) => c.notNull())
      // Raised while the bed was under a maintenance silence: recorded, never alerted.
      .addColumn('suppressed', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      // The rule episode key: a replay after a crash cannot raise the same episode twice.
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alarms_state_idx').on('alarms').columns(['state', 'raised_at']).execute();
    await db.schema.createIndex('alarms_bed_idx').on('alarms').columns(['bed_id', 'raised_at']).execute();

    await db.schema
      .createTable('alarm_audit')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('alarm_id', 'uuid', (c) => c.notNull().references('alarms.id'))
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('alarm_audit_alarm_idx').on('alarm_audit').columns(['alarm_id', 'id']).execute();

    // The durable log behind the live stream: its id is the SSE event id (Last-Event-ID resumes after it).
    await db.schema
      .createTable('alarm_events')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('alarm_id', 'uuid', (c) => c.notNull().references('alarms.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('bed_rule_state')
      .addColumn('bed_id', 'uuid', (c) => c.primaryKey().references('beds.id'))
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .addColumn('next_deadline', 'timestamptz')
      // received_at of the last device event evaluated; events stored after it are replayed at boot.
      .addColumn('event_cursor', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();

    // Every rule action, including those that raise nothing (a fall cancelled in time, suppressed episodes).
    await db.schema
      .createTable('rule_actions')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('bed_id', 'uuid', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('suppressed', 'boolean', (c) => c.notNull())
      .addColumn('action', 'jsonb', (c) => c.notNull())
      .addUniqueConstraint('rule_actions_replay_uq', ['key', 'type', 'at'])
      .execute();
    await db.schema.createIndex('rule_actions_bed_idx').on('rule_actions').columns(['bed_id', 'at']).execute();

    // Versioned overrides: the latest version per (scope, scope_id) is in force; older ones are history.
    await db.schema
      .createTable('rule_sets')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('default', 'organisation', 'bed')`))
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('body', 'jsonb', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('rule_sets_version_uq', ['scope', 'scope_id', 'version'])
      .execute();

    await db.schema
      .createTable('maintenance')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('bed_id', 'uuid', (c) => c.notNull().references('beds.id'))
      .addColumn('since', 'timestamptz', (c) => c.notNull())
      .addColumn('until', 'timestamptz', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz')
      .addColumn('ended_by', 'text')
      .execute();
    await db.schema.createIndex('maintenance_bed_idx').on('maintenance').columns(['bed_id', 'since']).execute();
  },
};
