import { Workbook } from 'exceljs';
import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { toLocal } from '@bedside/rules';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { addNights, nightWindow } from '../libs/wellness/src/domain/night-window';
import type { SyntheticNight } from '../libs/wellness/src/testing/night-fixture';
import { addCareBed, streamBedNights } from './care-beds';
import { connectDevice } from './mqtt-helpers';
import { passwordOf, signIn } from './tenant-fixture';

/**
 * Online monitoring to offline visits, end to end: four weeks of nights of three residents in
 * two districts streamed over MQTT as devices send their buffers (a month of nights in seconds),
 * summarised by the hub's own job; the visit planner turns a deteriorating resident's and an
 * often-absent resident's latest nights and a living-alone policy into visits, which are assigned
 * and checked in through the API; an alarm gets a follow-up visit and a dispatch; and the
 * monthly supervision report is checked against counts made here from other routes.
 */
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
const clients: MqttClient[] = [];
let stream: AbortController | undefined;

const today = () => {
  const l = toLocal(Date.now(), TZ);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
};

type Bed = Awaited<ReturnType<typeof addBed>>;
const addBed = (organisationId: string, label: string) => addCareBed(api, organisationId, label, TZ);
const streamNights = (b: Bed, nights: SyntheticNight[]) => streamBedNights(hub.mqttUrl, b.creds, nights, clients);

/** Reads the visit stream into `events` until aborted. */
async function openVisitStream(events: { event: string; data: any }[]) {
  stream = new AbortController();
  const res = await fetch(`${hub.httpUrl}/api/visits/stream`, {
    headers: { authorization: hub.authHeader },
    signal: stream.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
}

beforeAll(async () => {
  hub = await startHub({ WELLNESS_SWEEP_MS: '1000', VISITS_SWEEP_MS: '1000' });
  api = hubApi(hub);
}, 60_000);

afterAll(async () => {
  stream?.abort();
  for (const c of clients) await c.endAsync().catch(() => undefined);
  await hub?.dispose();
});

describe('regions, visits and the monthly supervision report', () => {
  it('four weeks of nights over MQTT become summaries, deviations, visits and a report that adds up', async () => {
    // --- An organisation with three residents in two districts.
    const org = (await api.post('/api/organisations', { name: '鼓楼居家养老服务中心' })).body;
    const steady = await addBed(org.id, '王奶奶');
    const declining = await addBed(org.id, '李爷爷');
    const away = await addBed(org.id, '赵奶奶');
    const region = async (body: Record<string, unknown>) => {
      const r = await api.post('/api/regions', { organisationId: org.id, ...body });
      expect(r.status).toBe(201);
      return r.body;
    };
    const gulou = await region({ kind: 'district', name: '鼓楼区', code: '320106' });
    const zhongshan = await region({ kind: 'street', parentId: gulou.id, name: '中山路街道' });
    const ninghai = await region({ kind: 'street', parentId: gulou.id, name: '宁海路街道' });
    const xuanwu = await region({ kind: 'district', name: '玄武区' });
    const meiyuan = await region({ kind: 'street', parentId: xuanwu.id, name: '梅园街道' });
    const place = async (b: Bed, street: { id: string }) =>
      api.put(`/api/households/${b.household.id}/region`, { regionId: street.id });
    expect((await place(steady, zhongshan)).body).toEqual({
      householdId: steady.household.id,
      street: { id: zhongshan.id, name: '中山路街道', code: null },
      district: { id: gulou.id, name: '鼓楼区', code: '320106' },
    });
    await place(declining, ninghai);
    await place(away, meiyuan);
    expect((await api.get(`/api/regions?organisationId=${org.id}`)).body).toEqual([
      // Pinyin order: Gulou, Xuanwu; Ninghai, Zhongshan.
      expect.objectContaining({
        id: gulou.id,
        streets: [expect.objectContaining({ id: ninghai.id }), expect.objectContaining({ id: zhongshan.id })],
      }),
      expect.objectContaining({ id: xuanwu.id, streets: [expect.objectContaining({ id: meiyuan.id })] }),
    ]);
    // A household goes in a street, a street needs a district, a district with streets stays.
    expect((await place(away, xuanwu)).status).toBe(400);
    expect((await api.post('/api/regions', { organisationId: org.id, kind: 'street', name: 'x' })).status).toBe(400);
    expect((await api.call('DELETE', `/api/regions/${xuanwu.id}`)).status).toBe(409);
    expect((await api.post('/api/regions', { organisationId: org.id, kind: 'district', name: '玄武区' })).status).toBe(
      409,
    );

    // --- Policy: residents living alone are visited at least weekly; 王奶奶 lives alone since the first night.
    const last = addNights(today(), -2);
    const first = addNights(last, -27);
    const since = new Date(nightWindow(first, TZ).start).toISOString();
    const events: { event: string; data: any }[] = [];
    await openVisitStream(events);
    expect(
      (
        await api.put(`/api/organisations/${org.id}/visit-policies`, {
          policies: [{ category: 'living_alone', intervalDays: 7 }],
        })
      ).body,
    ).toEqual({ organisationId: org.id, policies: [{ category: 'living_alone', intervalDays: 7 }] });
    expect(
      (
        await api.put(`/api/residents/${steady.resident.id}/categories`, {
          categories: [{ category: 'living_alone', since }],
        })
      ).body,
    ).toEqual([{ category: 'living_alone', since }]);

    // --- Four weeks of nights: steady; restless in the last four; out all night every fourth night.
    const nights = Array.from({ length: 28 }, (_, i) => addNights(first, i));
    const usual = [{ at: '02:00', minutes: 10 }];
    const restless = [
      { at: '23:00', minutes: 15 },
      { at: '01:00', minutes: 15 },
      { at: '02:30', minutes: 15 },
      { at: '04:00', minutes: 15 },
    ];
    const awayNight = (i: number) => i % 4 === 3;
    await Promise.all([
      streamNights(
        steady,
        nights.map((night) => ({ night, timeZone: TZ, absences: usual })),
      ),
      streamNights(
        declining,
        nights.map((night, i) => ({ night, timeZone: TZ, absences: i >= 24 ? restless : usual })),
      ),
      streamNights(
        away,
        nights.map((night, i) => ({
          night,
          timeZone: TZ,
          absences: awayNight(i) ? [{ at: '18:00', minutes: 18 * 60 }] : usual,
        })),
      ),
    ]);

    const stored = async (b: Bed) => {
      const r = await api.get(`/api/residents/${b.resident.id}/wellness?from=${first}&to=${last}`);
      return r.body.nights as any[];
    };
    const complete = async (b: Bed) =>
      waitFor(
        async () => {
          const n = await stored(b);
          return n.length === 28 && n.every((x) => x.summary.samples.mattress === 216) && n;
        },
        { timeoutMs: 150_000, intervalMs: 1000, what: `28 summarised nights of ${b.resident.name}` },
      );
    const [steadyNights, decliningNights, awayNights] = [
      await complete(steady),
      await complete(declining),
      await complete(away),
    ];
    expect(steadyNights.map((n) => n.night)).toEqual(nights);
    expect(steadyNights.filter((n) => n.deviations.length)).toEqual([]);
    // Baseline warm-up: no flag before seven nights.
    expect(decliningNights.map((n) => n.baseline.ready)).toEqual(nights.map((_, i) => i >= 7));
    expect(decliningNights[27].deviations).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'bed_exits_up', value: 4 })]),
    );
    expect(decliningNights.slice(0, 24).filter((n) => n.deviations.length)).toEqual([]);
    expect(awayNights[27].deviations).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'time_in_bed_down', value: 0 })]),
    );
    const deviations = await api.get(`/api/organisations/${org.id}/wellness/deviations?date=${last}`);
    expect(deviations.body.residents.map((r: any) => r.residentId).sort()).toEqual(
      [declining.resident.id, away.resident.id].sort(),
    );

    // --- The planner: a visit for each flagged latest night, and the weekly one, long overdue.
    const open = async () => (await api.get(`/api/visits?organisationId=${org.id}&state=open`)).body as any[];
    const planned = await waitFor(async () => (await open()).length === 3 && open(), {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'three planned visits',
    });
    const visitOf = (b: Bed, list: any[] = planned) => list.find((v) => v.residentId === b.resident.id);
    // The planner runs while nights are still being summarised: the visit is for whichever of the
    // resident's recent flagged nights it saw first, and no second one is planned beside it.
    const flaggedNights = (n: any[]) => n.filter((x) => x.deviations.length).map((x) => x.night as string);
    expect(visitOf(declining)).toEqual(
      expect.objectContaining({
        source: 'deviation',
        state: 'planned',
        overdue: false,
        residentName: '李爷爷',
        district: { id: gulou.id, name: '鼓楼区' },
        street: { id: ninghai.id, name: '宁海路街道' },
      }),
    );
    expect(flaggedNights(decliningNights).slice(-3)).toContain(visitOf(declining).sourceKey);
    expect(visitOf(declining).reason).toMatch(new RegExp(`^night ${visitOf(declining).sourceKey}: .*bed_exits_up`));
    expect(visitOf(away)).toEqual(expect.objectContaining({ source: 'deviation', sourceKey: last, overdue: false }));
    expect(flaggedNights(awayNights)).toContain(last);
    const weekly = visitOf(steady);
    expect(weekly).toEqual(
      expect.objectContaining({
        source: 'policy',
        reason: 'living_alone: at least every 7 days',
        dueAt: Date.parse(since) + 7 * DAY,
        overdue: true,
      }),
    );
    expect((await api.get(`/api/visits?organisationId=${org.id}&overdue=true`)).body.map((v: any) => v.id)).toEqual([
      weekly.id,
    ]);
    expect(
      (await api.get(`/api/visits?organisationId=${org.id}&districtId=${xuanwu.id}`)).body.map((v: any) => v.id),
    ).toEqual([visitOf(away).id]);
    // Flagged live, once, on the visit stream.
    await waitFor(() => events.some((e) => e.event === 'visit.overdue' && e.data.visit.id === weekly.id), {
      timeoutMs: 10_000,
      what: 'the overdue event',
    });
    expect(
      events
        .filter((e) => e.event === 'visit.planned')
        .map((e) => e.data.visit.id)
        .sort(),
    ).toEqual(planned.map((v) => v.id).sort());

    // --- Work orders: assign and check in; not home brings the weekly visit back at once.
    const act = (id: string, step: string, body: unknown) => api.post(`/api/visits/${id}/${step}`, body);
    expect((await act(visitOf(declining).id, 'check-in', { found: 'visited', outcome: 'well' })).status).toBe(409);
    expect((await act(visitOf(declining).id, 'assign', { kind: 'worker', name: '张社工' })).body).toEqual(
      expect.objectContaining({ state: 'assigned', assignee: { kind: 'worker', name: '张社工' } }),
    );
    const done = await act(visitOf(declining).id, 'check-in', {
      found: 'visited',
      outcome: 'well',
      notes: '夜里起夜多，已提醒家属',
    });
    expect(done.body).toEqual(expect.objectContaining({ state: 'visited', outcome: 'well', overdue: false }));
    expect(done.body.history.map((h: any) => [h.action, h.to])).toEqual([
      ['planned', 'planned'],
      ['assign', 'assigned'],
      ['check_in', 'visited'],
    ]);
    expect((await act(visitOf(away).id, 'cancel', { reason: '住在女儿家' })).body.state).toBe('cancelled');
    await act(weekly.id, 'assign', { kind: 'team', name: '中山路巡访队' });
    expect((await act(weekly.id, 'check-in', { found: 'not_home' })).body.state).toBe('not_home');
    const again = await waitFor(async () => (await open()).find((v) => v.residentId === steady.resident.id), {
      timeoutMs: 10_000,
      what: 'the weekly visit planned again after nobody was home',
    });
    expect(again).toEqual(
      expect.objectContaining({ source: 'policy', sourceKey: `after:${weekly.id}`, overdue: true, state: 'planned' }),
    );
    await act(again.id, 'assign', { kind: 'worker', name: '张社工' });
    expect((await act(again.id, 'check-in', { found: 'visited', outcome: 'needs_follow_up' })).status).toBe(200);
    // Seen today: the next weekly visit is a week away, beyond the planner's lead time.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await open()).toEqual([]);

    // --- An alarm: the queue shows its district, the operator dispatches and plans a follow-up visit.
    const button = await connectDevice(hub.mqttUrl, steady.creds.button);
    clients.push(button);
    await button.publishAsync(
      eventsTopic(steady.creds.button.deviceId),
      JSON.stringify({ eventId: 'sos-visits-1', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    const alarm = await waitFor(
      async () => (await api.get(`/api/alarms?bedId=${steady.bed.id}`)).body.find((a: any) => a.kind === 'sos'),
      { timeoutMs: 10_000, what: 'the SOS alarm' },
    );
    const queue = (await api.get(`/api/alarms?district=${gulou.id}&state=open`)).body as any[];
    expect(queue.find((a) => a.id === alarm.id)).toEqual(
      expect.objectContaining({
        district: { id: gulou.id, name: '鼓楼区' },
        street: { id: zhongshan.id, name: '中山路街道' },
      }),
    );
    expect((await api.get(`/api/alarms?district=${xuanwu.id}&state=open`)).body.map((a: any) => a.id)).not.toContain(
      alarm.id,
    );
    expect((await api.post(`/api/alarms/${alarm.id}/acknowledge`, {})).status).toBe(200);
    expect(
      (
        await api.post(`/api/alarms/${alarm.id}/dispatches`, {
          responderType: 'community_worker',
          responderName: '张社工',
        })
      ).status,
    ).toBe(201);
    expect((await api.post(`/api/alarms/${alarm.id}/resolve`, { outcome: 'assisted' })).status).toBe(200);
    const followUp = await api.post(`/api/alarms/${alarm.id}/visits`, { note: '回访老人情况' });
    expect(followUp.status).toBe(201);
    expect(followUp.body).toEqual(
      expect.objectContaining({ source: 'alarm', alarmId: alarm.id, residentId: steady.resident.id, state: 'planned' }),
    );
    expect((await api.post(`/api/alarms/${alarm.id}/visits`, {})).status).toBe(409);
    // The resident's timeline of visits.
    expect(
      (await api.get(`/api/residents/${steady.resident.id}/visits`)).body.map((v: any) => [v.source, v.state]),
    ).toEqual([
      ['policy', 'not_home'],
      ['policy', 'visited'],
      ['alarm', 'planned'],
    ]);

    // One timeline: the alarm, every step of the visits, newest first.
    const timeline = (await api.get(`/api/residents/${steady.resident.id}/timeline`)).body;
    expect(timeline.residentId).toBe(steady.resident.id);
    const entries = timeline.entries as any[];
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => b - a));
    expect(entries.filter((e) => e.type === 'alarm').map((e) => e.alarmId)).toEqual([alarm.id]);
    expect(entries.filter((e) => e.type === 'visit' && e.visitId === weekly.id).map((e) => e.action)).toEqual([
      'check_in',
      'assign',
      'overdue',
      'planned',
    ]);
    expect(entries.filter((e) => e.type === 'deviation')).toEqual([]);
    const decliningTimeline = (await api.get(`/api/residents/${declining.resident.id}/timeline`)).body.entries as any[];
    expect(
      decliningTimeline
        .filter((e) => e.type === 'deviation')
        .map((e) => e.night)
        .sort(),
    ).toEqual(decliningNights.filter((n) => n.deviations.length).map((n) => n.night));
    expect(
      (await api.get(`/api/residents/${steady.resident.id}/timeline?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`))
        .status,
    ).toBe(400);

    // --- The monthly report, checked against counts made here from the other routes.
    const beds = [steady, declining, away];
    const allNights = new Map(
      [
        [steady, steadyNights],
        [declining, decliningNights],
        [away, awayNights],
      ].map(([b, n]) => [(b as Bed).bed.id, n as any[]]),
    );
    const alarms = (
      await Promise.all(
        beds.map(async (b) => (await api.get(`/api/alarms?bedId=${b.bed.id}&limit=5000`)).body as any[]),
      )
    ).flat();
    const visits = (await api.get(`/api/visits?organisationId=${org.id}&limit=5000`)).body as any[];
    const months = [...new Set([...nights.map((n) => n.slice(0, 7)), today().slice(0, 7)])];
    const reportNow = Date.now();
    for (const month of months) {
      const r = await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}`);
      expect(r.status).toBe(200);
      const report = r.body;
      const [from, to] = [Date.parse(report.from), Date.parse(report.to)];
      const inMonth = (t: number | null) => t !== null && t >= from && t < to;
      expect(report).toEqual(expect.objectContaining({ organisationId: org.id, month, timeZone: TZ, region: null }));
      // In service during the month: a resident and a device (these beds went into service today;
      // the nights before were sent as a buffer).
      const serving = beds.filter((b) => Date.parse(b.bed.createdAt) < to);
      expect(report.bedsInService).toBe(serving.length);
      expect(report.devicesInService).toBe(3 * serving.length);
      // Bed-days: each bed from its going into service (its devices were bound within moments of
      // its creation) to the month's end or the report time, whichever is first.
      const served = (b: Bed) =>
        Math.max(0, Math.min(to, Date.parse(report.generatedAt)) - Math.max(from, Date.parse(b.bed.createdAt))) / DAY;
      expect(report.bedsInServiceAtEnd).toBe(serving.length);
      expect(report.bedDaysInService).toBeCloseTo(
        serving.reduce((sum, b) => sum + served(b), 0),
        3,
      );
      expect(report.onlineByBed.map((x: any) => x.bedId).sort()).toEqual(serving.map((b) => b.bed.id).sort());
      const uptimes: number[] = [];
      for (const b of serving) {
        const own = allNights
          .get(b.bed.id)!
          .filter((n) => n.night.startsWith(month))
          .map((n) => n.summary.devices.find((d: any) => d.kind === 'mattress').uptime as number);
        uptimes.push(...own);
        const row = report.onlineByBed.find((x: any) => x.bedId === b.bed.id);
        expect(row.nightsSummarised).toBe(own.length);
        if (own.length) expect(row.onlineRate).toBeCloseTo(own.reduce((s, x) => s + x, 0) / own.length, 3);
        else expect(row.onlineRate).toBeNull();
      }
      if (uptimes.length) expect(report.onlineRate).toBeCloseTo(uptimes.reduce((s, x) => s + x, 0) / uptimes.length, 3);
      else expect(report.onlineRate).toBeNull();

      const monthAlarms = alarms.filter((a) => !a.suppressed && inMonth(Date.parse(a.raisedAt)));
      expect(report.alarms.total).toBe(monthAlarms.length);
      const kinds = new Map<string, Record<string, number>>();
      for (const a of monthAlarms) {
        const k = kinds.get(a.kind) ?? {};
        k[a.outcome ?? 'open'] = (k[a.outcome ?? 'open'] ?? 0) + 1;
        kinds.set(a.kind, k);
      }
      expect(Object.fromEntries(report.alarms.byKind.map((k: any) => [k.kind, k.byOutcome]))).toEqual(
        Object.fromEntries(kinds),
      );
      expect(report.answer.acknowledged).toBe(monthAlarms.filter((a) => a.acknowledgedAt !== null).length);
      const sosHere = inMonth(Date.parse(alarm.raisedAt));
      expect(report.dispatches).toEqual(
        sosHere
          ? { total: 1, byResponder: { community_worker: 1 }, closed: 0, overdue: 0 }
          : { total: 0, byResponder: {}, closed: 0, overdue: 0 },
      );

      const due = visits.filter((v) => inMonth(v.dueAt));
      expect(report.visits).toEqual({
        dueInMonth: due.length,
        done: visits.filter((v) => v.state === 'visited' && inMonth(v.checkedInAt)).length,
        notHome: visits.filter((v) => v.state === 'not_home' && inMonth(v.checkedInAt)).length,
        cancelled: due.filter((v) => v.state === 'cancelled').length,
        overdue: due.filter(
          (v) => v.state !== 'cancelled' && v.dueAt < reportNow && (v.checkedInAt === null || v.checkedInAt > v.dueAt),
        ).length,
        bySource: due.reduce(
          (acc: Record<string, number>, v) => ({ ...acc, [v.source]: (acc[v.source] ?? 0) + 1 }),
          {},
        ),
      });
      const count = (ids: string[]) => serving.filter((b) => ids.includes(b.bed.id)).length;
      expect(report.districts.map((d: any) => [d.name, d.bedsInService])).toEqual([
        ['鼓楼区', count([steady.bed.id, declining.bed.id])],
        ['玄武区', count([away.bed.id])],
      ]);
      const days = (bs: Bed[]) => bs.filter((b) => serving.includes(b)).reduce((sum, b) => sum + served(b), 0);
      expect(report.districts[0].bedDaysInService).toBeCloseTo(days([steady, declining]), 3);
      expect(report.districts[1].bedDaysInService).toBeCloseTo(days([away]), 3);
    }

    // The current month: what happened today is in it.
    const month = today().slice(0, 7);
    const current = (await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}`)).body;
    expect(current.visits.done).toBeGreaterThanOrEqual(2);
    expect(current.alarms.byKind).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'sos' })]));
    // One district, one street.
    const east = (await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}&regionId=${xuanwu.id}`))
      .body;
    expect(east).toEqual(
      expect.objectContaining({
        region: expect.objectContaining({ id: xuanwu.id, kind: 'district' }),
        bedsInService: 1,
      }),
    );
    expect(east.onlineByBed.map((b: any) => b.bedId)).toEqual([away.bed.id]);
    expect(east.alarms.total).toBe(
      alarms.filter((a) => a.bedId === away.bed.id && inCurrent(Date.parse(a.raisedAt), current)).length,
    );
    const street = (
      await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}&regionId=${zhongshan.id}`)
    ).body;
    expect(street.onlineByBed.map((b: any) => b.bedId)).toEqual([steady.bed.id]);
    expect(street.dispatches.total).toBe(1);

    // Downloads.
    const csv = await fetch(`${hub.httpUrl}/api/organisations/${org.id}/supervision-report?month=${month}&format=csv`, {
      headers: { authorization: hub.authHeader },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`supervision-${month}.csv`);
    // ignoreBOM keeps the byte-order mark in the text instead of consuming it.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text).toContain('在服务床位 beds in service,3\r\n');
    expect(text).toContain(`已探访 visits done,${current.visits.done}\r\n`);
    const xlsx = await fetch(
      `${hub.httpUrl}/api/organisations/${org.id}/supervision-report?month=${month}&format=xlsx`,
      {
        headers: { authorization: hub.authHeader },
      },
    );
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概况 summary',
      '告警 alarms',
      '床位在线 beds online',
      '分区 districts',
    ]);
    const summary = wb.worksheets[0];
    const cell = (label: string) => {
      let value: unknown;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) value = row.getCell(2).value;
      });
      return value;
    };
    expect(cell('在服务床位 beds in service')).toBe(3);
    expect(cell('告警总数 alarms')).toBe(current.alarms.total);
    expect(wb.worksheets[3].rowCount).toBe(3);

    // Bad input.
    expect((await api.get(`/api/organisations/${org.id}/supervision-report?month=2026-13`)).status).toBe(400);
    expect(
      (await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}&timeZone=Mars/Base`)).status,
    ).toBe(400);
    expect((await api.get(`/api/organisations/${org.id}/supervision-report`)).status).toBe(400);
  }, 300_000);

  it('regions and visits are for their own organisation and roles', async () => {
    const a = await addBedInNewOrg('甲');
    const b = await addBedInNewOrg('乙');
    const district = (await api.post('/api/regions', { organisationId: b.org.id, kind: 'district', name: '乙区' }))
      .body;
    const street = (
      await api.post('/api/regions', { organisationId: b.org.id, kind: 'street', parentId: district.id, name: '乙街' })
    ).body;
    // Not even the platform administrator can put a household in another organisation's street.
    expect((await api.put(`/api/households/${a.household.id}/region`, { regionId: street.id })).status).toBe(400);
    const user = async (role: string) => {
      const username = `${role}-visits-${a.org.id.slice(0, 8)}`;
      const r = await api.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: username,
        role,
        organisationId: a.org.id,
      });
      expect(r.status).toBe(201);
      return hubApi({ httpUrl: hub.httpUrl, authHeader: await signIn(hub, username) });
    };
    const operator = await user('operator');
    const supervisor = await user('supervisor');
    const month = today().slice(0, 7);
    // B's records are not found for A's users.
    expect((await supervisor.get(`/api/regions/${district.id}`)).status).toBe(404);
    expect((await supervisor.get(`/api/visits?districtId=${district.id}`)).status).toBe(404);
    expect((await supervisor.get(`/api/organisations/${b.org.id}/supervision-report?month=${month}`)).status).toBe(404);
    expect(
      (await supervisor.get(`/api/organisations/${a.org.id}/supervision-report?month=${month}&regionId=${district.id}`))
        .status,
    ).toBe(404);
    // Operators read visits and plan them, but do not change regions or policies or read reports.
    expect(
      (await operator.post('/api/regions', { organisationId: a.org.id, kind: 'district', name: '甲区' })).status,
    ).toBe(403);
    expect((await operator.put(`/api/organisations/${a.org.id}/visit-policies`, { policies: [] })).status).toBe(403);
    expect((await operator.get(`/api/organisations/${a.org.id}/supervision-report?month=${month}`)).status).toBe(403);
    expect((await operator.get('/api/visits')).status).toBe(200);
    const manual = await operator.post(`/api/residents/${a.resident.id}/visits`, {
      dueAt: new Date(Date.now() + DAY).toISOString(),
      reason: '家属来电请求上门',
    });
    expect(manual.status).toBe(201);
    expect(
      (await supervisor.post('/api/regions', { organisationId: a.org.id, kind: 'district', name: '甲区' })).status,
    ).toBe(201);
    expect(
      (await supervisor.get(`/api/organisations/${a.org.id}/supervision-report?month=${month}`)).body.visits.dueInMonth,
    ).toBe(new Date(manual.body.dueAt).toISOString().slice(0, 7) === month ? 1 : 0);
    // The list of a user bound to A shows only A's visits.
    expect((await operator.get('/api/visits')).body.map((v: any) => v.organisationId)).toEqual([a.org.id]);
    // Policies: a category at most once, intervals within a year.
    expect(
      (
        await supervisor.put(`/api/organisations/${a.org.id}/visit-policies`, {
          policies: [
            { category: 'living_alone', intervalDays: 7 },
            { category: 'living_alone', intervalDays: 3 },
          ],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await supervisor.put(`/api/organisations/${a.org.id}/visit-policies`, {
          policies: [{ category: 'x', intervalDays: 0 }],
        })
      ).status,
    ).toBe(400);
  }, 60_000);

  it("a worker's own visits: assigned to them by user, open ones only, overdue first, in their organisation", async () => {
    const a = await addBedInNewOrg('丙');
    const b = await addBedInNewOrg('丁');
    const worker = async (org: { id: string }, name: string, login: string) => {
      const username = `worker-${login}-${org.id.slice(0, 8)}`;
      const r = await api.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: name,
        role: 'operator',
        organisationId: org.id,
      });
      expect(r.status).toBe(201);
      return {
        id: r.body.id as string,
        api: hubApi({ httpUrl: hub.httpUrl, authHeader: await signIn(hub, username) }),
      };
    };
    const zhang = await worker(a.org, '张社工', 'zhang');
    const li = await worker(a.org, '李社工', 'li');
    const outsider = await worker(b.org, '王社工', 'wang');
    const plan = async (dueInMs: number, reason: string) => {
      const r = await api.post(`/api/residents/${a.resident.id}/visits`, {
        dueAt: new Date(Date.now() + dueInMs).toISOString(),
        reason,
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const later = await plan(3 * DAY, 'later');
    const overdue = await plan(-2 * DAY, 'overdue');
    const soon = await plan(60_000, 'soon');
    const done = await plan(-DAY, 'done');
    const lis = await plan(DAY, 'for li');
    const byName = await plan(DAY, 'by name only');
    for (const id of [later, overdue, soon, done]) {
      const r = await zhang.api.post(`/api/visits/${id}/assign`, { kind: 'worker', userId: zhang.id });
      expect(r.status).toBe(200);
      // Named after the user when no name is given.
      expect(r.body.assignee).toEqual({ kind: 'worker', name: '张社工', userId: zhang.id });
    }
    expect((await zhang.api.post(`/api/visits/${done}/check-in`, { found: 'visited', outcome: 'well' })).status).toBe(
      200,
    );
    expect((await zhang.api.post(`/api/visits/${lis}/assign`, { kind: 'worker', userId: li.id })).status).toBe(200);
    // Typed as a name, not assigned to the user: not on their list.
    expect((await zhang.api.post(`/api/visits/${byName}/assign`, { kind: 'worker', name: '张社工' })).status).toBe(200);
    // A user of another organisation, a team with a user, or neither name nor user: refused.
    for (const body of [
      { kind: 'worker', userId: outsider.id },
      { kind: 'team', userId: zhang.id },
      { kind: 'worker' },
    ]) {
      const r = await zhang.api.post(`/api/visits/${later}/assign`, body);
      expect(r.status).toBe(400);
    }

    const mine = (await zhang.api.get('/api/visits/mine')).body as { id: string; overdue: boolean; state: string }[];
    expect(mine.map((v) => v.id)).toEqual([overdue, soon, later]);
    expect(mine.map((v) => v.overdue)).toEqual([true, false, false]);
    expect(new Set(mine.map((v) => v.state))).toEqual(new Set(['assigned']));
    expect((await li.api.get('/api/visits/mine')).body.map((v: { id: string }) => v.id)).toEqual([lis]);
    expect((await outsider.api.get('/api/visits/mine')).body).toEqual([]);
    // The bootstrap administrator is no user: nothing is theirs.
    expect((await api.get('/api/visits/mine')).body).toEqual([]);
    // A bad limit is refused by name, never a 5xx; without credentials, 401.
    for (const limit of ['abc', '0', '501']) {
      const bad = await zhang.api.get(`/api/visits/mine?limit=${limit}`);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('limit');
    }
    expect((await fetch(`${hub.httpUrl}/api/visits/mine`)).status).toBe(401);
  }, 60_000);

  it('counts beds by their periods in service: one that left service this month counts in it, not at its end', async () => {
    const org = (await api.post('/api/organisations', { name: '戊机构' })).body;
    const t0 = Date.now();
    const [a, b, c] = [await addBed(org.id, '戊一'), await addBed(org.id, '戊二'), await addBed(org.id, '戊三')];
    const month = today().slice(0, 7);
    const report = async () => {
      const r = await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}`);
      expect(r.status).toBe(200);
      return r.body;
    };
    const first = await report();
    const tFirst = Date.now();
    expect([first.bedsInService, first.bedsInServiceAtEnd, first.devicesInService]).toEqual([3, 3, 9]);

    // b: every device revoked (the registry announces it); c: its resident moves out (the
    // registry does not announce it: found by the next sweep, or by the report itself).
    const tLeave = Date.now();
    for (const d of Object.values(b.creds))
      expect((await api.post(`/api/devices/${d.deviceId}/revoke`, {})).status).toBe(200);
    expect((await api.put(`/api/beds/${c.bed.id}/resident`, { residentId: null })).status).toBe(200);
    const tReport = Date.now();
    const second = await report();
    const tEnd = Date.now();
    expect(second.bedsInService).toBe(3);
    expect(second.bedsInServiceAtEnd).toBe(1);
    // Devices of the beds in service in the month, as they are now: b's were revoked.
    expect(second.devicesInService).toBe(3 + 0 + 3);
    expect(second.onlineByBed.map((x: { bedId: string }) => x.bedId).sort()).toEqual(
      [a.bed.id, b.bed.id, c.bed.id].sort(),
    );
    // Bed-days counted here from the test's own clock: each period began after its bed was
    // created and before the first report; a's runs to the second report, b's and c's end
    // between the change and the second report.
    const DAY_MS = 86_400_000;
    const lower = (tReport - tFirst + 2 * (tLeave - tFirst)) / DAY_MS;
    const upper = (tEnd - t0 + 2 * (tEnd - t0)) / DAY_MS;
    expect(second.bedDaysInService).toBeGreaterThanOrEqual(lower - 1e-6);
    expect(second.bedDaysInService).toBeLessThanOrEqual(upper + 1e-6);
    expect(second.districts).toEqual([
      expect.objectContaining({ districtId: null, bedsInService: 3, bedDaysInService: second.bedDaysInService }),
    ]);

    // Back in service: a new period, the bed counts at the end again.
    expect((await api.put(`/api/beds/${c.bed.id}/resident`, { residentId: c.resident.id })).status).toBe(200);
    const third = await report();
    expect([third.bedsInService, third.bedsInServiceAtEnd]).toEqual([3, 2]);
    // The previous month knew none of these beds.
    const [y, m] = month.split('-').map(Number);
    const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const before = (await api.get(`/api/organisations/${org.id}/supervision-report?month=${previous}`)).body;
    expect([before.bedsInService, before.bedDaysInService, before.bedsInServiceAtEnd]).toEqual([0, 0, 0]);
  }, 60_000);
});

function inCurrent(t: number, report: { from: string; to: string }) {
  return t >= Date.parse(report.from) && t < Date.parse(report.to);
}

async function addBedInNewOrg(label: string) {
  const org = (await api.post('/api/organisations', { name: `${label}机构` })).body;
  return { org, ...(await addBed(org.id, label)) };
}
