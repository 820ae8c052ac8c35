import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../create-kysely';
import type { DB } from '../schema';
import { databaseAtMigration } from '../testing/database-at-migration';

/**
 * The backfill of `dispatches.overdue_noted_at` on a database that already holds late work
 * orders: an order flagged late whose coded note for the awaited step is on the timeline counts
 * as noted; one whose note is missing (or is for the step before) is left for the sweep to note.
 */
describe('migration 0016-dispatch-overdue-noted on existing work orders', () => {
  let db: Kysely<DB>;
  let close: () => Promise<void>;
  const org = randomUUID();
  const alarm = randomUUID();
  const flaggedNoted = randomUUID();
  const flaggedUnnoted = randomUUID();
  const onSiteWithArrivalNoteOnly = randomUUID();
  const notFlagged = randomUUID();
  const overdueAt = new Date('2026-11-02T08:30:00Z');

  beforeAll(async () => {
    ({ db, close } = await databaseAtMigration('0015-dispatch-due'));

    const household = randomUUID();
    const bed = randomUUID();
    await sql`insert into organisations (id, name) values (${org}, 'org')`.execute(db);
    await sql`insert into households (id, organisation_id, name, address, time_zone)
      values (${household}, ${org}, 'household', 'address', 'Asia/Shanghai')`.execute(db);
    await sql`insert into beds (id, household_id, label) values (${bed}, ${household}, 'bed')`.execute(db);
    await sql`insert into alarms (id, organisation_id, bed_id, kind, severity, state, started_at, raised_at,
        incident_id, reason, message, idempotency_key, updated_at)
      values (${alarm}, ${org}, ${bed}, 'sos', 'critical', 'acknowledged', now(), now(), ${randomUUID()},
        'button', 'SOS', 'episode-1', now())`.execute(db);
    const dispatch = (id: string, status: string, flagged: boolean) =>
      sql`insert into dispatches (id, alarm_id, organisation_id, responder_type, responder_name, status, history,
          created_by, updated_at, due_at, overdue_at, first_overdue_at)
        values (${id}, ${alarm}, ${org}, 'community_worker', 'worker', ${status}, '[]'::jsonb, 'operator', now(),
          ${overdueAt}, ${flagged ? overdueAt : null}, ${flagged ? overdueAt : null})`.execute(db);
    await dispatch(flaggedNoted, 'dispatched', true);
    await dispatch(flaggedUnnoted, 'en_route', true);
    await dispatch(onSiteWithArrivalNoteOnly, 'on_site', true);
    await dispatch(notFlagged, 'dispatched', false);
    const note = (dispatchId: string, step: string) =>
      sql`insert into alarm_audit (alarm_id, at, actor, action, to_state, note, note_code, note_params)
        values (${alarm}, now(), 'system', 'note', 'acknowledged', 'late', 'dispatch_overdue',
          ${JSON.stringify({ dispatchId, step, minutes: 5 })}::jsonb)`.execute(db);
    await note(flaggedNoted, 'arrival');
    await note(onSiteWithArrivalNoteOnly, 'arrival');

    await migrateToLatest(db);
  });

  afterAll(async () => {
    await close?.();
  });

  const notedAt = async (id: string) =>
    (await db.selectFrom('dispatches').select('overdue_noted_at').where('id', '=', id).executeTakeFirstOrThrow())
      .overdue_noted_at;

  it('marks a flagged order whose note for the awaited step is on the timeline, at its flag time', async () => {
    expect(await notedAt(flaggedNoted)).toEqual(overdueAt);
  });

  it('leaves a flagged order without its note for the sweep', async () => {
    expect(await notedAt(flaggedUnnoted)).toBeNull();
  });

  it('does not take the note of an earlier step for the step now awaited', async () => {
    expect(await notedAt(onSiteWithArrivalNoteOnly)).toBeNull();
  });

  it('leaves orders that were never late alone', async () => {
    expect(await notedAt(notFlagged)).toBeNull();
  });
});
