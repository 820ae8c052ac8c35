import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../create-kysely';
import type { DB } from '../schema';
import { databaseAtMigration } from '../testing/database-at-migration';

/**
 * `device_events.stored_at` on a database that already holds events: rows stored before keep
 * no storing time (the column was added without a default, so the table was not rewritten),
 * rows stored after get the database's clock, and the reads by bed and by storing time have
 * their indexes.
 */
describe('migration 0019-event-stored-at on existing device events', () => {
  let db: Kysely<DB>;
  let close: () => Promise<void>;
  const bed = randomUUID();
  const device = `button-${randomUUID().slice(0, 8)}`;

  const storedAt = async (eventId: string) =>
    (await db.selectFrom('device_events').select('stored_at').where('event_id', '=', eventId).executeTakeFirstOrThrow())
      .stored_at;
  const event = (eventId: string) =>
    sql`insert into device_events (device_id, event_id, type, bed_id, device_ts, received_at)
      values (${device}, ${eventId}, 'button.pressed', ${bed}, now(), now() - interval '1 minute')`.execute(db);

  beforeAll(async () => {
    ({ db, close } = await databaseAtMigration('0018-live-sessions'));

    const org = randomUUID();
    const household = randomUUID();
    await sql`insert into organisations (id, name) values (${org}, 'org')`.execute(db);
    await sql`insert into households (id, organisation_id, name, address, time_zone)
      values (${household}, ${org}, 'household', 'address', 'Asia/Shanghai')`.execute(db);
    await sql`insert into beds (id, household_id, label) values (${bed}, ${household}, 'bed')`.execute(db);
    await sql`insert into devices (id, organisation_id, kind, serial, model, bed_id, secret_salt, secret_hash,
        credentials_issued_at)
      values (${device}, ${org}, 'button', ${device}, 'B1', ${bed}, 's', 'h', now())`.execute(db);
    await event('before');

    await migrateToLatest(db);
  });

  afterAll(async () => {
    await close?.();
  });

  it('leaves the events stored before without a storing time', async () => {
    expect(await storedAt('before')).toBeNull();
  });

  it("stamps an event stored after it with the database's clock, whatever its receive time", async () => {
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
    await event('after');
    const at = await storedAt('after');
    expect(at).not.toBeNull();
    expect(new Date(at!).getTime()).toBeGreaterThanOrEqual(new Date(rows[0].now).getTime());
  });

  it('indexes the events by storing time, by bed and either time, and the rows kept before by receive time', async () => {
    const { rows } = await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where tablename = 'device_events' order by indexname`.execute(db);
    const defs = rows.map((r) => r.indexdef.replace(/^.* USING btree /, ''));
    expect(defs).toEqual(
      expect.arrayContaining([
        '(stored_at)',
        '(bed_id, stored_at)',
        '(bed_id, received_at)',
        '(received_at) WHERE (stored_at IS NULL)',
      ]),
    );
  });
});
