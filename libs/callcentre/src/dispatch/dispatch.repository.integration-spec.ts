import { randomUUID } from 'node:crypto';
import { AlarmRepository, type AlarmRecord } from '@bedside/alarms';
import type { Database } from '@bedside/database';
import { acknowledgeAlarm, raiseAlarm, resolveAlarm } from '@bedside/rules';
import { testDatabaseEngines } from '@bedside/testing';
import { DispatchRepository } from './dispatch.repository';

/** Overdue claims and the open work-order list on embedded PGlite and a real PostgreSQL server. */
const T0 = Date.UTC(2026, 11, 5, 2, 0, 0);
const MIN = 60_000;

describe.each(testDatabaseEngines('dispatch-claims'))('work-order overdue claims on $name', (engine) => {
  let database: Database;
  let alarms: AlarmRepository;
  let dispatches: DispatchRepository;
  let orgId: string;
  let bedId: string;
  let n = 0;

  async function raise(): Promise<AlarmRecord> {
    const id = randomUUID();
    const base = raiseAlarm({ id, bedId, kind: 'sos', key: `k-${n++}`, severity: 'critical', at: T0, note: 'sos' });
    await alarms.insertRaised(alarms.db, {
      ...base,
      organisationId: orgId,
      startedAt: T0,
      incidentId: id,
      suppressed: false,
      reason: 'sos_pressed',
      message: 'sos',
      details: {},
      nextEscalationAt: null,
    });
    return (await alarms.get(alarms.db, id))!;
  }
  const send = (alarmId: string, name: string, dueInMin: number | null) =>
    dispatches.create({
      alarmId,
      organisationId: orgId,
      responderType: 'keyholder',
      responderName: name,
      note: null,
      actor: 'op1',
      at: new Date(T0),
      dueAt: dueInMin === null ? null : new Date(T0 + dueInMin * MIN),
    });

  beforeAll(async () => {
    database = await engine.open();
    alarms = new AlarmRepository(database);
    dispatches = new DispatchRepository(database);
    orgId = randomUUID();
    bedId = randomUUID();
    const householdId = randomUUID();
    const db = database.db;
    await db.insertInto('organisations').values({ id: orgId, name: 'org' }).execute();
    await db
      .insertInto('households')
      .values({
        id: householdId,
        organisation_id: orgId,
        name: '李奶奶家',
        address: '幸福路 1 号',
        time_zone: 'Asia/Shanghai',
        contacts: '[]',
      })
      .execute();
    await db
      .insertInto('beds')
      .values({ id: bedId, household_id: householdId, resident_id: null, label: '主卧' })
      .execute();
  }, 60_000);
  afterAll(() => engine.close());

  it('gives each late open work order to one sweeper once; closed, resolved and not yet due ones to none', async () => {
    const alarm = await raise();
    const late = [];
    for (let i = 0; i < 12; i++) late.push(await send(alarm.id, `late ${i}`, 10 + i / 10));
    const notDue = await send(alarm.id, 'not due', 40);
    const noDue = await send(alarm.id, 'no due time', null);
    const closed = await send(alarm.id, 'closed', 10);
    await dispatches.setStatus(alarm.id, closed.id, 'dispatched', {
      status: 'closed',
      actor: 'op1',
      note: null,
      at: new Date(T0 + MIN),
      dueAt: closed.dueAt,
      overdueAt: null,
    });
    const resolvedAlarm = await raise();
    const onResolved = await send(resolvedAlarm.id, 'on a resolved alarm', 10);
    await alarms.save(alarms.db, resolvedAlarm, {
      ...resolvedAlarm,
      ...resolveAlarm(acknowledgeAlarm(resolvedAlarm, { at: T0 + MIN, actor: 'op1' }), {
        at: T0 + 2 * MIN,
        actor: 'op1',
        outcome: 'false_alarm',
      }),
    });

    const now = new Date(T0 + 20 * MIN);
    // Two sweepers (two nodes) at once: disjoint claims that cover every late order.
    const [a, b] = await Promise.all([dispatches.claimOverdue(now, 8), dispatches.claimOverdue(now, 8)]);
    const claimed = [...a, ...b].map((d) => d.id).sort();
    expect(claimed).toEqual(late.map((d) => d.id).sort());
    expect([...a, ...b].every((d) => d.overdueAt?.getTime() === now.getTime() && d.organisationId === orgId)).toBe(
      true,
    );
    for (const id of [notDue.id, noDue.id, closed.id, onResolved.id]) expect(claimed).not.toContain(id);

    // Stored: a later sweep (another node, or this one after a restart) claims nothing again.
    expect(await dispatches.claimOverdue(new Date(T0 + 30 * MIN), 50)).toEqual([]);
    const later = await dispatches.claimOverdue(new Date(T0 + 41 * MIN), 50);
    expect(later.map((d) => d.id)).toEqual([notDue.id]);

    // The open list: not closed, alarm not resolved, soonest due first (no due time last).
    const open = await dispatches.open({ organisationId: orgId, limit: 100 });
    expect(open.map((d) => d.id)).toEqual([...late.map((d) => d.id), notDue.id, noDue.id]);
    expect(open[0]).toMatchObject({
      alarmKind: 'sos',
      bedLabel: '主卧',
      residentName: null,
      householdName: '李奶奶家',
    });
    const overdue = await dispatches.open({ organisationId: orgId, overdueAt: new Date(T0 + 20 * MIN), limit: 100 });
    expect(overdue.map((d) => d.id)).toEqual(late.map((d) => d.id));
    expect(await dispatches.open({ organisationId: randomUUID(), limit: 100 })).toEqual([]);

    // Arriving clears the flag of the arrival step; when it first ran late stays.
    await dispatches.setStatus(alarm.id, late[0].id, 'dispatched', {
      status: 'on_site',
      actor: 'op1',
      note: null,
      at: new Date(T0 + 42 * MIN),
      dueAt: new Date(T0 + 100 * MIN),
      overdueAt: null,
    });
    const kept = await database.db
      .selectFrom('dispatches')
      .select(['overdue_at', 'first_overdue_at'])
      .where('id', '=', late[0].id)
      .executeTakeFirstOrThrow();
    expect(kept.overdue_at).toBeNull();
    expect(kept.first_overdue_at?.getTime()).toBe(now.getTime());
  });

  it('answers flags whose note was never marked written, once a sweep period old, until they are marked', async () => {
    const alarm = await raise();
    const a = await send(alarm.id, 'noted', 1);
    const b = await send(alarm.id, 'note lost', 1);
    const c = await send(alarm.id, 'closed before its note', 1);
    const flaggedAt = new Date(T0 + 200 * MIN);
    const claimed = await dispatches.claimOverdue(flaggedAt, 50);
    expect(claimed.map((d) => d.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    const mine = (ds: { id: string }[]) => ds.map((d) => d.id).filter((id) => [a.id, b.id, c.id].includes(id));

    // Not before the flag is older than the period the flagging node had to write the note.
    expect(mine(await dispatches.unnoted(flaggedAt, 50))).toEqual([]);
    expect(await dispatches.markNoted(a.id, flaggedAt, new Date(T0 + 200 * MIN + 1))).toBe(true);
    // Twice is a no-op; a mark for another flag time changes nothing.
    expect(await dispatches.markNoted(a.id, flaggedAt, new Date(T0 + 201 * MIN))).toBe(false);
    expect(await dispatches.markNoted(b.id, new Date(T0 + 199 * MIN), new Date(T0 + 201 * MIN))).toBe(false);
    await dispatches.setStatus(alarm.id, c.id, 'dispatched', {
      status: 'closed',
      actor: 'op1',
      note: null,
      at: new Date(T0 + 201 * MIN),
      dueAt: c.dueAt,
      overdueAt: flaggedAt,
    });
    const later = new Date(T0 + 202 * MIN);
    const stale = await dispatches.unnoted(later, 50);
    expect(mine(stale)).toEqual([b.id]);
    expect(stale.find((d) => d.id === b.id)).toMatchObject({ overdueAt: flaggedAt, organisationId: orgId });
    expect(await dispatches.markNoted(b.id, flaggedAt, later)).toBe(true);
    expect(mine(await dispatches.unnoted(later, 50))).toEqual([]);

    // Arriving starts the close-out step unflagged and unmarked; its own flag awaits its own note.
    await dispatches.setStatus(alarm.id, a.id, 'dispatched', {
      status: 'on_site',
      actor: 'op1',
      note: null,
      at: new Date(T0 + 203 * MIN),
      dueAt: new Date(T0 + 204 * MIN),
      overdueAt: null,
    });
    const closeFlag = new Date(T0 + 205 * MIN);
    expect(mine(await dispatches.claimOverdue(closeFlag, 50))).toEqual([a.id]);
    expect(mine(await dispatches.unnoted(new Date(T0 + 206 * MIN), 50))).toEqual([a.id]);
  });

  it('moves on only from the status it was read in', async () => {
    const alarm = await raise();
    const d = await send(alarm.id, 'racing', 10);
    const step = { actor: 'op1', note: null, at: new Date(T0 + MIN), dueAt: null, overdueAt: null };
    const moved = await dispatches.setStatus(alarm.id, d.id, 'dispatched', { ...step, status: 'en_route' });
    expect(moved.history.map((h) => h.status)).toEqual(['dispatched', 'en_route']);
    await expect(dispatches.setStatus(alarm.id, d.id, 'dispatched', { ...step, status: 'on_site' })).rejects.toThrow();
  });
});
