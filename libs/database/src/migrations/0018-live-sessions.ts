import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Every hub reads the live console sessions once a minute (to answer for them if the database
 * becomes unreachable): index the sessions not revoked, by expiry, so the read does not scan every
 * session ever issued.
 */
export const liveSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('sessions_live_idx')
      .on('sessions')
      .column('expires_at')
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
  },
};
