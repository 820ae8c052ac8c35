import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Device events get the database's own time of storing them. The owner of a bed reads what was
 * stored for it by this column, so which node's clock stamped `received_at` no longer decides
 * whether a read sees an event. The default is set after the column is added: a volatile
 * default on ADD COLUMN rewrites the whole table under an exclusive lock, while a column added
 * without one is only catalogue work. Rows stored before stay null and are read by
 * `received_at` (their nodes' clocks were checked against the database's).
 */
export const eventStoredAt: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table device_events add column stored_at timestamptz`.execute(db);
    await sql`alter table device_events alter column stored_at set default clock_timestamp()`.execute(db);
    // The owner's read of its partitions' newest events, every second on every node.
    await db.schema.createIndex('device_events_stored_idx').on('device_events').column('stored_at').execute();
    // A bed's events stored since its cursor (takeover and boot replay).
    await db.schema
      .createIndex('device_events_bed_stored_idx')
      .on('device_events')
      .columns(['bed_id', 'stored_at'])
      .execute();
    // A bed's events by receive time: backtests, and rows stored before this migration.
    await db.schema
      .createIndex('device_events_bed_received_idx')
      .on('device_events')
      .columns(['bed_id', 'received_at'])
      .execute();
    // The rows stored before this migration, by receive time, for the reads across beds (boot
    // and takeover look for recent events of beds with no saved state). No row enters it later.
    await db.schema
      .createIndex('device_events_kept_before_idx')
      .on('device_events')
      .column('received_at')
      .where(sql.ref('stored_at'), 'is', null)
      .execute();
  },
};
