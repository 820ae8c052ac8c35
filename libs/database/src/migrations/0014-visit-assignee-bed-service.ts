import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Two supervision needs. A visit assigned to a worker may name the user who is that worker, so
 * the worker's own list ("my visits") does not depend on how a name was typed. And each bed's
 * periods in service (a resident and a device with valid credentials), so a month's report counts
 * the beds that were in service in that month rather than those in service when it is read.
 * Beds in service when this runs get a period from when they were set up as far as the registry
 * tells (the later of the bed's and its oldest valid device's creation).
 */
export const visitAssigneeBedService: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('visits')
      .addColumn('assignee_user_id', 'uuid', (c) => c.references('users.id'))
      .execute();
    await db.schema
      .createIndex('visits_assignee_user_idx')
      .on('visits')
      .columns(['assignee_user_id', 'due_at'])
      .execute();

    await db.schema
      .createTable('bed_service_periods')
      .addColumn('bed_id', 'uuid', (c) => c.notNull().references('beds.id'))
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      // null while the bed is still in service.
      .addColumn('ended_at', 'timestamptz')
      .addPrimaryKeyConstraint('bed_service_periods_pk', ['bed_id', 'started_at'])
      .addCheckConstraint('bed_service_periods_order', sql`ended_at is null or ended_at >= started_at`)
      .execute();
    // At most one open period per bed.
    await db.schema
      .createIndex('bed_service_periods_open_uq')
      .on('bed_service_periods')
      .column('bed_id')
      .unique()
      .where(sql.ref('ended_at'), 'is', null)
      .execute();
    await sql`
      insert into bed_service_periods (bed_id, started_at)
      select b.id, greatest(b.created_at, min(d.created_at))
      from beds b join devices d on d.bed_id = b.id and d.revoked_at is null
      where b.resident_id is not null
      group by b.id, b.created_at
    `.execute(db);
  },
};
