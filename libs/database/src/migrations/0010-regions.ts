import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Regions above households, as civil-affairs supervision counts them: an organisation's
 * districts (区), each with its streets (街道); a household belongs to one street. Two levels
 * only, so a street's district is its parent and reports roll up without recursion.
 */
export const regions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('regions')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('district', 'street')`))
      .addColumn('parent_id', 'uuid', (c) => c.references('regions.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      // The administrative division code a provincial platform keys on (GB/T 2260 and below), if known.
      .addColumn('code', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('regions_parent_by_kind', sql`(kind = 'district') = (parent_id is null)`)
      .execute();
    await db.schema.createIndex('regions_org_idx').on('regions').columns(['organisation_id', 'kind']).execute();
    await db.schema.createIndex('regions_parent_idx').on('regions').column('parent_id').execute();
    await db.schema
      .alterTable('households')
      .addColumn('region_id', 'uuid', (c) => c.references('regions.id'))
      .execute();
    await db.schema.createIndex('households_region_idx').on('households').column('region_id').execute();
  },
};
