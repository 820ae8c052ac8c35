import { sql, type Kysely, type Migration } from 'kysely';

/**
 * When the coded note (and stream event) of a late work order's flag was written. The flag and
 * the note are two transactions, possibly on two nodes (the note is written by the alarm's
 * owner): a flagged order without this mark had its note lost to a crash or failure, and the
 * sweep writes it again. Orders flagged before this are marked when their note is on the
 * timeline; the others are left for the sweep to note.
 */
export const dispatchOverdueNoted: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('dispatches').addColumn('overdue_noted_at', 'timestamptz').execute();
    await sql`
      update dispatches d set overdue_noted_at = d.overdue_at
      where d.overdue_at is not null and exists (
        select 1 from alarm_audit e
        where e.alarm_id = d.alarm_id and e.note_code = 'dispatch_overdue'
          and e.note_params ->> 'dispatchId' = d.id::text
          and e.note_params ->> 'step' = case when d.status = 'on_site' then 'close' else 'arrival' end)`.execute(db);
    // The sweep's repair: flagged, not noted.
    await db.schema
      .createIndex('dispatches_unnoted_idx')
      .on('dispatches')
      .column('overdue_at')
      .where(sql.ref('overdue_noted_at'), 'is', null)
      .execute();
  },
};
