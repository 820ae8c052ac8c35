import pgDriver from 'pg';
import { hubApi, startHub, startPostgres, waitFor, type HubProcess, type PostgresServer } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { buildTenant, signIn, type Api, type Tenant } from './tenant-fixture';

/**
 * A late work order is flagged in one transaction and noted (coded timeline note and
 * alarm.dispatch_overdue, journalled together) in another. Over the built hub on a real
 * PostgreSQL, faults are injected into that second step from the database itself: the note's
 * insert fails, the note's transaction is still running when the hub is killed (SIGKILL), or the
 * note commits but marking it written fails. Each time the order shows late meanwhile, and once
 * the fault is gone a later sweep writes exactly one note and one event for it, never two.
 */
const SWEEP_MS = 200;
let pg: PostgresServer;
let db: pgDriver.Client;
let hub: HubProcess;
let admin: Api;
let tenant: Tenant;
let op: Api;
const streams: AlarmStreamClient[] = [];

/** What the fault trigger does now: nothing, fail the note, stall it, or fail the mark. */
const setFault = async (mode: 'none' | 'fail_note' | 'stall_note' | 'fail_mark') => {
  await db.query('delete from test_faults');
  if (mode !== 'none') await db.query('insert into test_faults (mode) values ($1)', [mode]);
};
const sweeps = (n: number) => new Promise((r) => setTimeout(r, n * SWEEP_MS + 500));

const send = async (name: string): Promise<string> => {
  const res = await op.post(`/api/alarms/${tenant.alarm.id}/dispatches`, {
    responderType: 'keyholder',
    responderName: name,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const notesOf = async (dispatchId: string) =>
  ((await op.get(`/api/alarms/${tenant.alarm.id}`)).body.timeline as { code: string | null; params: any }[]).filter(
    (t) => t.code === 'dispatch_overdue' && t.params?.dispatchId === dispatchId,
  );
const journalled = async () =>
  Number(
    (
      await db.query(`select count(*) as n from alarm_events where type = 'alarm.dispatch_overdue' and alarm_id = $1`, [
        tenant.alarm.id,
      ])
    ).rows[0].n,
  );
/** Straight from the database, for while the hub is down. */
const storedNotes = async (dispatchId: string) =>
  Number(
    (
      await db.query(
        `select count(*) as n from alarm_audit where note_code = 'dispatch_overdue' and note_params ->> 'dispatchId' = $1`,
        [dispatchId],
      )
    ).rows[0].n,
  );
const flags = async (dispatchId: string) =>
  (
    await db.query<{ overdue_at: Date | null; overdue_noted_at: Date | null }>(
      'select overdue_at, overdue_noted_at from dispatches where id = $1',
      [dispatchId],
    )
  ).rows[0];
const listedLate = async (dispatchId: string) =>
  ((await op.get('/api/dispatches?overdue=true')).body as { id: string; overdue: boolean }[]).some(
    (d) => d.id === dispatchId && d.overdue,
  );
const streamOf = async () => {
  const s = await openAlarmStream(hub.httpUrl, await signIn(hub, tenant.users.operator.username));
  streams.push(s);
  return s;
};
const overdueEvents = (s: AlarmStreamClient) => s.events.filter((e) => e.type === 'alarm.dispatch_overdue').length;

beforeAll(async () => {
  pg = await startPostgres();
  const url = await pg.createDatabase('overdue_note_repair');
  hub = await startHub({ DATABASE_URL: url, DISPATCH_OVERDUE_SWEEP_MS: String(SWEEP_MS) });
  admin = hubApi(hub);
  tenant = await buildTenant(hub, admin, 'NoteRepair');
  op = hubApi({ httpUrl: hub.httpUrl, authHeader: await signIn(hub, tenant.users.operator.username) });
  expect(
    (
      await admin.put(`/api/organisations/${tenant.org.id}/dispatch-expectations`, {
        expectations: [{ responderType: 'keyholder', onSiteWithinS: 1, closeWithinS: 3600 }],
      })
    ).status,
  ).toBe(200);
  db = new pgDriver.Client(url);
  await db.connect();
  // The faults live in the database, so they reach the hub without any hook in its code.
  await db.query(`
    create table test_faults (mode text not null);
    create function test_note_fault() returns trigger language plpgsql as $$
    begin
      if new.note_code = 'dispatch_overdue' and exists (select 1 from test_faults where mode = 'fail_note') then
        raise exception 'injected: the note is not stored';
      end if;
      if new.note_code = 'dispatch_overdue' and exists (select 1 from test_faults where mode = 'stall_note') then
        perform pg_sleep(4);
      end if;
      return new;
    end $$;
    create trigger test_note_fault before insert on alarm_audit for each row execute function test_note_fault();
    create function test_mark_fault() returns trigger language plpgsql as $$
    begin
      if old.overdue_noted_at is null and new.overdue_noted_at is not null
         and exists (select 1 from test_faults where mode = 'fail_mark') then
        raise exception 'injected: the mark is not stored';
      end if;
      return new;
    end $$;
    create trigger test_mark_fault before update on dispatches for each row execute function test_mark_fault();
  `);
}, 120_000);

afterAll(async () => {
  streams.forEach((s) => s.close());
  await db?.end();
  await hub?.dispose();
  await pg?.stop();
}, 60_000);

describe('the note of a late work order', () => {
  it('is written by a later sweep, once, after the note step failed', async () => {
    const stream = await streamOf();
    const before = await journalled();
    await setFault('fail_note');
    const id = await send('note fails');
    await waitFor(async () => (await flags(id))?.overdue_at, { timeoutMs: 10_000, what: 'the order flagged' });
    // Every sweep tries again and fails: flagged and listed late, with no note and no event.
    await sweeps(5);
    expect(await listedLate(id)).toBe(true);
    expect((await flags(id)).overdue_noted_at).toBeNull();
    expect(await notesOf(id)).toEqual([]);
    expect(await journalled()).toBe(before);
    expect(overdueEvents(stream)).toBe(0);
    expect(hub.logs()).toContain('overdue note not written');

    await setFault('none');
    await stream.waitFor((e) => e.type === 'alarm.dispatch_overdue', 10_000);
    await sweeps(6);
    const notes = await notesOf(id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      actor: 'system',
      params: { dispatchId: id, step: 'arrival', name: 'note fails' },
    });
    expect(await journalled()).toBe(before + 1);
    expect(overdueEvents(stream)).toBe(1);
    expect((await flags(id)).overdue_noted_at).not.toBeNull();
  }, 60_000);

  it('is written once after the hub is killed while writing it', async () => {
    const before = await journalled();
    await setFault('stall_note');
    const id = await send('hub killed');
    // The note's transaction is inside the stalled insert: the flag is committed, the note not.
    await waitFor(
      async () =>
        (await db.query(`select 1 from pg_stat_activity where wait_event = 'PgSleep' and query ilike '%alarm_audit%'`))
          .rowCount,
      { timeoutMs: 15_000, what: 'the note stalled in its transaction' },
    );
    await hub.kill();
    await setFault('none');
    // The dead hub's transaction is rolled back once its backend finds the client gone.
    await waitFor(
      async () => (await db.query(`select 1 from pg_stat_activity where wait_event = 'PgSleep'`)).rowCount === 0,
      { timeoutMs: 15_000, what: 'the stalled transaction gone' },
    );
    expect((await flags(id)).overdue_at).not.toBeNull();
    expect((await flags(id)).overdue_noted_at).toBeNull();
    expect(await storedNotes(id)).toBe(0);
    expect(await journalled()).toBe(before);

    await hub.restart();
    op = hubApi({ httpUrl: hub.httpUrl, authHeader: await signIn(hub, tenant.users.operator.username) });
    await waitFor(async () => (await notesOf(id)).length > 0, { timeoutMs: 15_000, what: 'the note written again' });
    await sweeps(6);
    expect(await notesOf(id)).toHaveLength(1);
    expect(await storedNotes(id)).toBe(1);
    expect(await journalled()).toBe(before + 1);
    expect((await flags(id)).overdue_noted_at).not.toBeNull();
  }, 90_000);

  it('is not written twice when marking it written fails and every sweep tries again', async () => {
    const stream = await streamOf();
    const before = await journalled();
    await setFault('fail_mark');
    const id = await send('mark fails');
    await stream.waitFor((e) => e.type === 'alarm.dispatch_overdue', 10_000);
    await sweeps(8);
    expect((await flags(id)).overdue_noted_at).toBeNull();
    expect(await notesOf(id)).toHaveLength(1);
    expect(await journalled()).toBe(before + 1);
    expect(overdueEvents(stream)).toBe(1);

    await setFault('none');
    await waitFor(async () => (await flags(id)).overdue_noted_at, { timeoutMs: 10_000, what: 'the note marked' });
    await sweeps(4);
    expect(await notesOf(id)).toHaveLength(1);
    expect(await journalled()).toBe(before + 1);
    expect(overdueEvents(stream)).toBe(1);
  }, 60_000);
});
