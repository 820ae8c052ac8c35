import { randomUUID } from 'node:crypto';
import { AlarmRepository, type AlarmRecord } from '@bedside/alarms';
import type { Database } from '@bedside/database';
import {
  acknowledgeAlarm,
  autoResolveIfDue,
  holdAlarm,
  markAlarmCleared,
  raiseAlarm,
  resolveAlarm,
  type Severity,
} from '@bedside/rules';
import { testDatabaseEngines } from '@bedside/testing';
import { ActionPlanRepository } from './calls/action-plan.repository';
import { CallAttemptRepository } from './calls/call-attempt.repository';
import { HandoverRepository } from './handover/handover.repository';
import { HistoryRepository } from './history/history.repository';
import { HoldRepository } from './hold/hold.repository';
import { WallboardRepository } from './wallboard/wallboard.repository';

/** Call-handling storage against embedded PGlite and a real PostgreSQL server. */
const T0 = Date.UTC(2026, 11, 4, 2, 0, 0); // 10:00 in Shanghai
const S = 1000;

describe.each(testDatabaseEngines('callcentre'))('call handling storage on $name', (engine) => {
  let database: Database;
  let alarms: AlarmRepository;
  let orgId: string;
  let bedId: string;
  let residentId: string;
  let n = 0;

  async function raise(kind: 'sos' | 'tamper' | 'low_battery', severity: Severity, at: number): Promise<AlarmRecord> {
    const id = randomUUID();
    const base = raiseAlarm({ id, bedId, kind, key: `k-${n++}`, severity, at, note: `${kind} raised` });
    const rec: AlarmRecord = {
      ...base,
      organisationId: orgId,
      startedAt: at,
      incidentId: id,
      suppressed: false,
      reason: kind === 'sos' ? 'sos_pressed' : kind,
      message: `${kind} raised`,
      details: {},
      nextEscalationAt: null,
    };
    await alarms.insertRaised(alarms.db, rec);
    return (await alarms.get(alarms.db, id))!;
  }
  async function change(prev: AlarmRecord, next: AlarmRecord | ReturnType<typeof acknowledgeAlarm>) {
    await alarms.save(alarms.db, prev, next as AlarmRecord);
    return (await alarms.get(alarms.db, prev.id))!;
  }

  beforeAll(async () => {
    database = await engine.open();
    alarms = new AlarmRepository(database);
    orgId = randomUUID();
    const householdId = randomUUID();
    residentId = randomUUID();
    bedId = randomUUID();
    const db = database.db;
    await db.insertInto('organisations').values({ id: orgId, name: 'org' }).execute();
    await db
      .insertInto('households')
      .values({
        id: householdId,
        organisation_id: orgId,
        name: '李奶奶家',
        address: '和平区 幸福路 1 号',
        time_zone: 'Asia/Shanghai',
        contacts: JSON.stringify([
          { name: '王芳', phone: '+86 2', role: 'emergency', callOrder: 2 },
          { name: '王伟', phone: '+86 1', role: 'keyholder', callOrder: 1 },
        ]),
      })
      .execute();
    await db
      .insertInto('residents')
      .values({
        id: residentId,
        household_id: householdId,
        name: '李秀兰',
        birth_year: 1938,
        conditions: '[]',
        notes: null,
      })
      .execute();
    await db
      .insertInto('beds')
      .values({ id: bedId, household_id: householdId, resident_id: residentId, label: '主卧' })
      .execute();
    await db
      .insertInto('users')
      .values({
        id: randomUUID(),
        organisation_id: orgId,
        username: 'op1',
        display_name: '张敏',
        role: 'operator',
        password_hash: 'x',
        disabled_at: null,
        deleted_at: null,
        password_changed_at: null,
      })
      .execute();
  }, 120_000);

  afterAll(() => engine.close(), 60_000);

  it('keeps a hold and coded timeline notes, finds held alarms and lists them for the handover', async () => {
    const sos = await raise('sos', 'critical', T0);
    const held = await change(
      sos,
      holdAlarm(sos, { at: T0 + 5 * S, actor: 'op1', until: T0 + 600 * S, reason: '家属回电中', supervisor: false }),
    );
    expect(held.hold).toEqual({
      since: T0 + 5 * S,
      until: T0 + 600 * S,
      reason: '家属回电中',
      by: 'op1',
      escalates: true,
    });
    expect(held.audit.at(-1)).toMatchObject({
      action: 'hold',
      code: 'held',
      params: { reason: '家属回电中', escalates: true, until: new Date(T0 + 600 * S).toISOString() },
    });
    expect(held.audit[0].code).toBeUndefined(); // raised with a plain note
    expect(await new HoldRepository(database).held()).toEqual(
      expect.arrayContaining([{ id: sos.id, until: T0 + 600 * S }]),
    );
    const items = await new HandoverRepository(database).openAlarms(orgId);
    expect(items.find((i) => i.alarmId === sos.id)).toMatchObject({
      type: 'held',
      residentName: '李秀兰',
      holdReason: '家属回电中',
    });
  });

  it('searches history by words, kind, outcome (open or a code) and time, paged, newest first', async () => {
    const history = new HistoryRepository(database);
    const old = await raise('tamper', 'minor', T0 - 86_400 * S);
    const acked = await change(old, acknowledgeAlarm(old, { at: T0 - 86_300 * S, actor: 'op1' }));
    await change(acked, resolveAlarm(acked, { at: T0 - 86_200 * S, actor: 'op1', outcome: 'false_alarm' }));
    const found = await history.search({ organisationId: orgId, q: '秀兰', outcome: ['false_alarm'] }, 1, 10);
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({
      id: old.id,
      kind: 'tamper',
      outcome: 'false_alarm',
      residentId,
      residentName: '李秀兰',
      acknowledgedByName: '张敏',
      timeZone: 'Asia/Shanghai',
    });
    // % and _ are literal in the words.
    expect((await history.search({ organisationId: orgId, q: '%' }, 1, 10)).total).toBe(0);
    expect(
      (await history.search({ organisationId: orgId, outcome: ['open'] }, 1, 10)).items.every(
        (a) => a.state !== 'resolved',
      ),
    ).toBe(true);
    const day = await history.search(
      { organisationId: orgId, from: new Date(T0 - 90_000 * S), to: new Date(T0 - 80_000 * S) },
      1,
      10,
    );
    expect(day.items.map((a) => a.id)).toEqual([old.id]);
    const pageOne = await history.search({ organisationId: orgId }, 1, 1);
    const pageTwo = await history.search({ organisationId: orgId }, 2, 1);
    expect(pageOne.total).toBeGreaterThanOrEqual(2);
    expect(Date.parse(pageOne.items[0].raisedAt)).toBeGreaterThanOrEqual(Date.parse(pageTwo.items[0].raisedAt));
    expect((await history.search({ organisationId: randomUUID() }, 1, 10)).total).toBe(0);
  });

  it('computes the wallboard with auto-resolved alarms apart from the answer-time denominator', async () => {
    const low = await raise('low_battery', 'warning', T0 + 10 * S);
    const cleared = await change(low, markAlarmCleared(low, { at: T0 + 20 * S }));
    await change(cleared, autoResolveIfDue(cleared, T0 + 20 * S).alarm);
    const quick = await raise('sos', 'critical', T0 + 30 * S);
    await change(quick, acknowledgeAlarm(quick, { at: T0 + 40 * S, actor: 'op1' }));
    await new CallAttemptRepository(database).add({
      id: randomUUID(),
      alarmId: quick.id,
      organisationId: orgId,
      calleeType: 'contact',
      calleeName: '王伟',
      phone: '+86 1',
      outcome: 'answered',
      note: null,
      actor: 'op1',
      at: new Date(T0 + 45 * S),
    });
    const now = new Date(T0 + 60 * S);
    const board = await new WallboardRepository(database).compute(
      orgId,
      now,
      new Date(T0 - 3600 * S),
      7,
      'Asia/Shanghai',
    );
    // In the hour: the held SOS (unacknowledged), the auto-resolved battery, the acknowledged SOS.
    expect(board.totals).toEqual({
      raised: 3,
      humanHandled: 2,
      autoResolved: 1,
      ackedWithin60sOfHuman: 0.5,
      ackedWithin180sOfHuman: 0.5,
    });
    expect(board.queue).toMatchObject({ open: 2, unacknowledged: 1, held: 1 });
    expect(board.operators).toEqual([
      expect.objectContaining({ username: 'op1', displayName: '张敏', handlingNow: 1, calls: 1, answerSecondsP50: 10 }),
    ]);
    expect(board.trends.map((d) => d.day)).toEqual(['2026-12-03', '2026-12-04']);
    expect(board.trends.at(-1)).toMatchObject({ raised: 3, humanHandled: 2, autoResolved: 1 });
  });

  it('keeps one action plan per organisation and kind, replaced by a later one', async () => {
    const plans = new ActionPlanRepository(database);
    await plans.put(orgId, 'sos', { steps: ['a'], responders: [] }, 'sup', new Date(T0));
    await plans.put(
      orgId,
      'sos',
      { steps: ['b', 'c'], responders: [{ name: '周丽', phone: '+86 9', type: 'community_worker' }] },
      'sup2',
      new Date(T0 + S),
    );
    expect(await plans.list(orgId)).toEqual([
      {
        kind: 'sos',
        steps: ['b', 'c'],
        responders: [{ name: '周丽', phone: '+86 9', type: 'community_worker' }],
        updatedBy: 'sup2',
        updatedAt: new Date(T0 + S).toISOString(),
      },
    ]);
    expect((await new CallAttemptRepository(database).householdContacts(bedId)).map((c) => c.name)).toEqual([
      '王伟',
      '王芳',
    ]);
  });
});
