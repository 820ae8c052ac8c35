import type { Kysely, Migration } from 'kysely';

/**
 * Clustered mode: which node holds each connected device's MQTT session, so a command, an alarm
 * ack or a revocation made on any node reaches the one node that can deliver it. A row names
 * the node and when the connection began; a node removes its rows when a connection ends and
 * all of them when it starts (a crash leaves rows behind).
 */
export const deviceSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('device_sessions')
      .addColumn('device_id', 'text', (c) => c.primaryKey())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('connected_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('device_sessions_node_idx').on('device_sessions').column('node_id').execute();
  },
};
