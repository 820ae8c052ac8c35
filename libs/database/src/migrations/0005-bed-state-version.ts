import type { Kysely, Migration } from 'kysely';

/**
 * Rule state changed by telemetry alone is checkpointed in batches rather than one transaction
 * per sample; a per-bed version keeps a late batch from overwriting a newer state.
 */
export const bedStateVersion: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('bed_rule_state')
      .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
