import type { Kysely, Migration } from 'kysely';

/**
 * Alarm acks a device has not yet acknowledged (PUBACK). A row is written with the device event
 * that may raise an alarm (same statement), gets the alarm's id once the rules raised or updated
 * one, and is deleted when the device's session acknowledges the ack: a crash anywhere between
 * storing the event and that PUBACK leaves the row, and the ack is sent again on the device's
 * next connection or on its resend of the event.
 */
export const alarmAckOutbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('alarm_ack_outbox')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('bed_id', 'uuid', (c) => c.notNull())
      // Null until the rules have evaluated the event and it raised or updated an alarm.
      .addColumn('alarm_id', 'uuid')
      .addColumn('received_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('alarm_ack_outbox_pk', ['device_id', 'event_id'])
      .execute();
    await db.schema.createIndex('alarm_ack_outbox_received_idx').on('alarm_ack_outbox').column('received_at').execute();
  },
};
