import { sql, type Kysely, type Migration } from 'kysely';

export const foundation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('households')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('contacts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('households_org_idx').on('households').column('organisation_id').execute();

    await db.schema
      .createTable('residents')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('birth_year', 'integer')
      .addColumn('conditions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('notes', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('beds')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id'))
      .addColumn('resident_id', 'uuid', (c) => c.references('residents.id'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mattress', 'button', 'wearable')`))
      .addColumn('serial', 'text', (c) => c.notNull().unique())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('firmware', 'text')
      .addColumn('bed_id', 'uuid', (c) => c.references('beds.id'))
      .addColumn('secret_salt', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('credentials_issued_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('online', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('last_seen_at', 'timestamptz')
      .addColumn('battery', 'real')
      .addColumn('rssi', 'integer')
      .addColumn('reported_firmware', 'text')
      .addColumn('status_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('devices_bed_idx').on('devices').column('bed_id').execute();

    // Primary key (device, event id) is the idempotency key for QoS 1 redelivery.
    await db.schema
      .createTable('device_events')
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('bed_id', 'uuid')
      .addColumn('device_ts', 'timestamptz', (c) => c.notNull())
      .addColumn('seq', 'bigint')
      .addColumn('confidence', 'real')
      .addColumn('received_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_events_pk', ['device_id', 'event_id'])
      .execute();
    await db.schema
      .createIndex('device_events_time_idx')
      .on('device_events')
      .columns(['device_id', 'device_ts'])
      .execute();

    await db.schema
      .createTable('device_rejections')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addColumn('last_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_message', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_rejections_pk', ['device_id', 'code'])
      .execute();

    // Embedded telemetry store. (device, ts) is the idempotency key: a redelivered sample
    // overwrites nothing and is not counted twice, matching InfluxDB's series+time semantics.
    await db.schema
      .createTable('telemetry_samples')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('ts', 'timestamptz', (c) => c.notNull())
      .addColumn('bed_id', 'uuid')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('heart_rate', 'real')
      .addColumn('respiration_rate', 'real')
      .addColumn('in_bed', 'boolean')
      .addColumn('movement', 'real')
      .addColumn('signal_quality', 'real')
      .addColumn('spo2', 'real')
      .addColumn('steps', 'integer')
      .addColumn('worn', 'boolean')
      .addColumn('battery', 'real')
      .addPrimaryKeyConstraint('telemetry_samples_pk', ['device_id', 'ts'])
      .execute();
    await db.schema.createIndex('telemetry_bed_time_idx').on('telemetry_samples').columns(['bed_id', 'ts']).execute();
  },
};
