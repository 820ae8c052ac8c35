import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { buildTenant, signIn, type Api, type Tenant } from './tenant-fixture';

/**
 * Late work orders flagged live, over the real hub: an organisation expects key-holders on site
 * within 2 s; a key-holder who does not arrive is flagged once (a coded note on the alarm's
 * timeline and alarm.dispatch_overdue on the alarm stream, seen by that organisation only), stays
 * flagged once across a restart, shows in GET /api/dispatches?overdue=true and in the month's
 * supervision report; a community worker who arrives in time is never flagged.
 */
const SWEEP_MS = 200;
let hub: HubProcess;
let admin: Api;
let a: Tenant;
let b: Tenant;
const streams: AlarmStreamClient[] = [];

const as = async (username: string): Promise<Api> => {
  const authHeader = await signIn(hub, username);
  return hubApi({ httpUrl: hub.httpUrl, authHeader });
};
const open = async (username: string, lastEventId?: number) => {
  const s = await openAlarmStream(hub.httpUrl, await signIn(hub, username), { lastEventId });
  streams.push(s);
  return s;
};
const overdueEvents = (s: AlarmStreamClient) => s.events.filter((e) => e.type === 'alarm.dispatch_overdue');

beforeAll(async () => {
  hub = await startHub({ DISPATCH_OVERDUE_SWEEP_MS: String(SWEEP_MS) });
  admin = hubApi(hub);
  a = await buildTenant(hub, admin, 'OverdueA');
  b = await buildTenant(hub, admin, 'OverdueB');
}, 120_000);

afterAll(async () => {
  streams.forEach((s) => s.close());
  await hub?.dispose();
});

describe('dispatch expectations', () => {
  it('answer the defaults until set; a supervisor sets them, an operator and another organisation cannot', async () => {
    const supA = await as(a.users.supervisor.username);
    const path = `/api/organisations/${a.org.id}/dispatch-expectations`;
    const initial = await supA.get(path);
    expect(initial.status).toBe(200);
    expect(initial.body.expectations).toEqual([
      { responderType: 'keyholder', onSiteWithinS: 1800, closeWithinS: 7200, isDefault: true },
      { responderType: 'community_worker', onSiteWithinS: 2700, closeWithinS: 7200, isDefault: true },
      { responderType: 'ambulance', onSiteWithinS: 1200, closeWithinS: 3600, isDefault: true },
    ]);

    const wanted = {
      expectations: [
        { responderType: 'keyholder', onSiteWithinS: 2, closeWithinS: 3600 },
        { responderType: 'community_worker', onSiteWithinS: 2, closeWithinS: null },
      ],
    };
    expect((await (await as(a.users.operator.username)).put(path, wanted)).status).toBe(403);
    expect((await (await as(b.users.supervisor.username)).put(path, wanted)).status).toBe(404);
    expect((await supA.put(path, { expectations: [{ responderType: 'keyholder', onSiteWithinS: 0 }] })).status).toBe(
      400,
    );
    const set = await supA.put(path, wanted);
    expect(set.status).toBe(200);
    expect(set.body.expectations).toEqual([
      { responderType: 'keyholder', onSiteWithinS: 2, closeWithinS: 3600, isDefault: false },
      { responderType: 'community_worker', onSiteWithinS: 2, closeWithinS: null, isDefault: false },
      { responderType: 'ambulance', onSiteWithinS: 1200, closeWithinS: 3600, isDefault: true },
    ]);
    expect((await (await as(b.users.supervisor.username)).get(path)).status).toBe(404);
  }, 30_000);
});

describe('a late work order', () => {
  it('is flagged live once, to its own organisation only; one on site in time never is', async () => {
    const opA = await as(a.users.operator.username);
    const streamA = await open(a.users.operator.username);
    const streamB = await open(b.users.operator.username);

    const created = Date.now();
    const late = await opA.post(`/api/alarms/${a.alarm.id}/dispatches`, {
      responderType: 'keyholder',
      responderName: 'late neighbour',
    });
    expect(late.status).toBe(201);
    expect(Date.parse(late.body.dueAt) - Date.parse(late.body.createdAt)).toBe(2000);
    expect(late.body).toMatchObject({ overdue: false, overdueAt: null });
    const inTime = await opA.post(`/api/alarms/${a.alarm.id}/dispatches`, {
      responderType: 'community_worker',
      responderName: 'quick worker',
    });
    expect(inTime.status).toBe(201);
    // On site well before its 2 s: it waits for nothing more (no close-out expectation).
    const arrived = await opA.post(`/api/alarms/${a.alarm.id}/dispatches/${inTime.body.id}/status`, {
      status: 'on_site',
    });
    expect(arrived.status).toBe(201);
    expect(Date.now() - created).toBeLessThan(1500);
    expect(arrived.body).toMatchObject({ status: 'on_site', dueAt: null, overdue: false });

    const event = await streamA.waitFor((e) => e.type === 'alarm.dispatch_overdue', 10_000);
    expect(event.data.alarm.id).toBe(a.alarm.id);
    // Not before the due time.
    expect(event.receivedAt).toBeGreaterThan(Date.parse(late.body.dueAt));

    const detail = await opA.get(`/api/alarms/${a.alarm.id}`);
    const notes = detail.body.timeline.filter((t: { code: string | null }) => t.code === 'dispatch_overdue');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      actor: 'system',
      params: { dispatchId: late.body.id, type: 'keyholder', name: 'late neighbour', step: 'arrival' },
    });

    const listed = await opA.get('/api/dispatches?overdue=true');
    expect(listed.status).toBe(200);
    expect(listed.body.map((d: { id: string }) => d.id)).toEqual([late.body.id]);
    expect(listed.body[0]).toMatchObject({
      overdue: true,
      alarmId: a.alarm.id,
      alarmKind: 'sos',
      residentName: 'resident OverdueA',
      organisationId: a.org.id,
    });
    expect(listed.body[0].overdueAt).not.toBeNull();
    // Every open work order, with the fixture's key-holder (30 min default when it was sent) not late.
    const all = (await opA.get('/api/dispatches')).body as { id: string; overdue: boolean }[];
    expect(all.map((d) => d.id).sort()).toEqual([a.dispatch.id, late.body.id, inTime.body.id].sort());
    expect(all.filter((d) => d.overdue).map((d) => d.id)).toEqual([late.body.id]);

    // Several more sweeps: nothing new, and nothing ever for the other organisation.
    await new Promise((r) => setTimeout(r, 6 * SWEEP_MS + 2000));
    expect(overdueEvents(streamA)).toHaveLength(1);
    expect(streamB.events.filter((e) => e.data.alarm.organisationId === a.org.id)).toEqual([]);
    const opB = await as(b.users.operator.username);
    expect((await opB.get('/api/dispatches?overdue=true')).body).toEqual([]);
    expect((await opB.get(`/api/dispatches?organisationId=${a.org.id}`)).status).toBe(404);
    // Bad query values are refused by name, never a 5xx.
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['overdue=maybe', 'overdue'],
      ['organisationId=not-a-uuid', 'organisationId'],
    ]) {
      const res = await opB.get(`/api/dispatches?${query}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }

    const dispatches = (await opA.get(`/api/alarms/${a.alarm.id}/dispatches`)).body as {
      id: string;
      overdueAt: string | null;
    }[];
    expect(dispatches.find((d) => d.id === inTime.body.id)?.overdueAt).toBeNull();
  }, 30_000);

  it("counts on the wallboard for the viewer's own organisation only, as the work-order lists do", async () => {
    // Counted here from each organisation's list of open work orders, not from the wallboard's own query.
    const figures = async (api: Api) => {
      const open = (await api.get('/api/dispatches')).body as { overdue: boolean }[];
      return { open: open.length, overdue: open.filter((d) => d.overdue).length };
    };
    const supA = await as(a.users.supervisor.username);
    const supB = await as(b.users.supervisor.username);
    const boardA = await supA.get('/api/wallboard');
    expect(boardA.status).toBe(200);
    expect(boardA.body.dispatches).toEqual({ open: 3, overdue: 1 });
    expect(boardA.body.dispatches).toEqual(await figures(supA));
    const boardB = await supB.get('/api/wallboard');
    expect(boardB.body.dispatches).toEqual({ open: 1, overdue: 0 });
    expect(boardB.body.dispatches).toEqual(await figures(supB));
    // The administrator sees every organisation's.
    expect((await admin.get('/api/wallboard')).body.dispatches).toEqual({ open: 4, overdue: 1 });
    // Operators have no wallboard.
    expect((await (await as(a.users.operator.username)).get('/api/wallboard')).status).toBe(403);
  }, 30_000);

  it('stays flagged once across a restart, and arriving clears the flag for the close-out step', async () => {
    await hub.restart();
    const opA = await as(a.users.operator.username);
    await new Promise((r) => setTimeout(r, 6 * SWEEP_MS + 1000));
    // Replay of the whole durable stream: still one overdue event for the organisation.
    const replay = await open(a.users.operator.username, 0);
    await replay.waitFor((e) => e.type === 'alarm.dispatch_overdue', 5000);
    await new Promise((r) => setTimeout(r, 1000)); // the rest of the replay
    expect(overdueEvents(replay)).toHaveLength(1);
    const [late] = (await opA.get('/api/dispatches?overdue=true')).body as { id: string }[];
    expect(late).toBeDefined();

    const arrived = await opA.post(`/api/alarms/${a.alarm.id}/dispatches/${late.id}/status`, { status: 'on_site' });
    expect(arrived.status).toBe(201);
    expect(arrived.body).toMatchObject({ status: 'on_site', overdue: false, overdueAt: null });
    expect(Date.parse(arrived.body.dueAt) - Date.parse(arrived.body.updatedAt)).toBe(3_600_000);
    expect((await opA.get('/api/dispatches?overdue=true')).body).toEqual([]);

    // The month's report still counts it as a work order that ran late: one of the three sent.
    const month = new Date(Date.parse(arrived.body.createdAt) + 8 * 3_600_000).toISOString().slice(0, 7);
    const report = await (
      await as(a.users.supervisor.username)
    ).get(`/api/organisations/${a.org.id}/supervision-report?month=${month}`);
    expect(report.status).toBe(200);
    expect(report.body.dispatches).toMatchObject({ total: 3, overdue: 1 });
  }, 60_000);
});
