import type { Kysely, Migration } from 'kysely';

/**
 * A deleted user is anonymised rather than removed, so the audit trail that names them keeps
 * its meaning; the row stays to hold their id.
 */
export const userLifecycle: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('deleted_at', 'timestamptz').execute();
    await db.schema.alterTable('users').addColumn('password_changed_at', 'timestamptz').execute();
  },
};
