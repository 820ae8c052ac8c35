import { createServer, type Server } from 'node:http';
import { eventsTopic } from '@bedside/contracts';
import { verifyWebhook } from '@bedside/callcentre';
import { freePort, hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { openAlarmStream } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/** Call-centre work over the real hub: display watchdog, dispatch, KPIs, webhooks, isolation. */
let hub: HubProcess;
let admin: ReturnType<typeof hubApi>;
let bedA: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;
let bedB: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string | string[] | undefined>; body: string; at: number }[] = [];
let failNext = 1; // the receiver answers 500 to the first delivery, to exercise the retry

const asToken = (token: string) => hubApi({ httpUrl: hub.httpUrl, authHeader: `Bearer ${token}` });
async function login(username: string) {
  const res = await fetch(`${hub.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-copper-kettle` }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function pressSos(creds: Creds, eventId: string) {
  const client = await connectDevice(hub.mqttUrl, creds);
  await client.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  await client.endAsync();
}

beforeAll(async () => {
  const port = await freePort();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body, at: Date.now() });
      res.statusCode = failNext-- > 0 ? 500 : 204;
      res.end();
    });
  }).listen(port, '127.0.0.1');
  receiverUrl = `http://127.0.0.1:${port}/hook`;
  hub = await startHub({ DISPLAY_CONFIRM_TIMEOUT_MS: '2000' });
  admin = hubApi(hub);
  bedA = await admin.provisionBed('A');
  bedB = await admin.provisionBed('B');
  for (const [username, role, org] of [
    ['op-a', 'operator', bedA.org.id],
    ['sup-a', 'supervisor', bedA.org.id],
    ['op-b', 'operator', bedB.org.id],
  ] as const) {
    expect(
      (
        await admin.post('/api/users', {
          username,
          password: `${username}-copper-kettle`,
          displayName: username,
          role,
          organisationId: org,
        })
      ).status,
    ).toBe(201);
  }
}, 90_000);

afterAll(async () => {
  await hub?.dispose();
  await new Promise((r) => receiver?.close(r));
});

describe('display confirmation', () => {
  it('escalates an alarm no console showed within the timeout, and not one that was shown', async () => {
    const opA = await login('op-a');
    const stream = await openAlarmStream(hub.httpUrl, `Bearer ${opA}`);
    try {
      await pressSos(bedA.devices.button.credentials, 'unseen-1');
      const raised = await stream.waitFor((e) => e.type === 'alarm.raised' && e.data.alarm.bedId === bedA.bed.id, 5000);
      const escalated = await stream.waitFor(
        (e) => e.type === 'alarm.escalated' && e.data.alarm.id === raised.data.alarm.id,
        6000,
      );
      expect(escalated.receivedAt - raised.receivedAt).toBeGreaterThanOrEqual(1500);
      expect(escalated.data.alarm.escalationLevel).toBe(1);
      const detail = (await asToken(opA).get(`/api/alarms/${raised.data.alarm.id}`)).body;
      expect(detail.timeline.map((t: any) => t.note ?? '')).toEqual(
        expect.arrayContaining([expect.stringMatching(/not shown on any console within 2 s/)]),
      );

      // Resolve it, then raise another one and confirm its display at once: no escalation.
      await asToken(opA).post(`/api/alarms/${raised.data.alarm.id}/acknowledge`, {});
      await asToken(opA).post(`/api/alarms/${raised.data.alarm.id}/resolve`, { outcome: 'false_alarm' });
      await pressSos(bedA.devices.button.credentials, 'seen-1');
      const second = await stream.waitFor(
        (e) => e.type === 'alarm.raised' && e.data.alarm.id !== raised.data.alarm.id,
        5000,
      );
      expect((await asToken(opA).post(`/api/alarms/${second.data.alarm.id}/displayed`)).status).toBe(204);
      await new Promise((r) => setTimeout(r, 3000));
      expect(
        stream.events.filter((e) => e.type === 'alarm.escalated' && e.data.alarm.id === second.data.alarm.id),
      ).toEqual([]);
    } finally {
      stream.close();
    }
  }, 30_000);
});

describe('dispatch', () => {
  it('records a work order moving forward only, each step on the alarm timeline', async () => {
    const op = asToken(await login('op-a'));
    const open = (await op.get('/api/alarms?state=open')).body;
    const alarm = open.find((a: any) => a.bedId === bedA.bed.id);
    expect(alarm).toBeDefined();
    const created = await op.post(`/api/alarms/${alarm.id}/dispatches`, {
      responderType: 'keyholder',
      responderName: '王伟',
      note: 'has the key, 10 min away',
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('dispatched');
    for (const status of ['en_route', 'on_site']) {
      expect((await op.post(`/api/alarms/${alarm.id}/dispatches/${created.body.id}/status`, { status })).status).toBe(
        201,
      );
    }
    const back = await op.post(`/api/alarms/${alarm.id}/dispatches/${created.body.id}/status`, { status: 'en_route' });
    expect(back.status).toBe(409);
    expect(
      (
        await op.post(`/api/alarms/${alarm.id}/dispatches/${created.body.id}/status`, {
          status: 'closed',
          note: 'resident fine',
        })
      ).status,
    ).toBe(201);
    const list = (await op.get(`/api/alarms/${alarm.id}/dispatches`)).body;
    expect(list[0].history.map((h: any) => h.status)).toEqual(['dispatched', 'en_route', 'on_site', 'closed']);
    const timeline = (await op.get(`/api/alarms/${alarm.id}`)).body.timeline.map((t: any) => t.action);
    expect(timeline).toEqual(
      expect.arrayContaining(['dispatch', 'dispatch.en_route', 'dispatch.on_site', 'dispatch.closed']),
    );
    expect(
      (await op.post(`/api/alarms/${alarm.id}/dispatches`, { responderType: 'plumber', responderName: 'x' })).status,
    ).toBe(400);
  });
});

describe('organisation isolation of alarms', () => {
  it('an operator of another organisation sees none of them, by list, id, dispatch or stream', async () => {
    const opB = await login('op-b');
    const api = asToken(opB);
    const a = (await admin.get('/api/alarms?state=open')).body.find((x: any) => x.bedId === bedA.bed.id);
    expect(
      (await api.get('/api/alarms?state=open,resolved')).body.filter((x: any) => x.organisationId === bedA.org.id),
    ).toEqual([]);
    expect((await api.get(`/api/alarms/${a.id}`)).status).toBe(404);
    expect((await api.post(`/api/alarms/${a.id}/acknowledge`, {})).status).toBe(404);
    expect((await api.get(`/api/alarms/${a.id}/dispatches`)).status).toBe(404);
    const streamB = await openAlarmStream(hub.httpUrl, `Bearer ${opB}`, { lastEventId: 0 });
    const streamA = await openAlarmStream(hub.httpUrl, `Bearer ${await login('op-a')}`, { lastEventId: 0 });
    try {
      await streamA.waitFor((e) => e.data.alarm.organisationId === bedA.org.id, 5000);
      await new Promise((r) => setTimeout(r, 300));
      expect(streamB.events.filter((e) => e.data.alarm.organisationId === bedA.org.id)).toEqual([]);
    } finally {
      streamA.close();
      streamB.close();
    }
  });
});

describe('KPIs', () => {
  it('gives supervisors answer times, shares within 60/180 s, open alarms by age and false-alarm rates', async () => {
    const sup = asToken(await login('sup-a'));
    const k = (await sup.get('/api/alarms/kpis')).body;
    expect(k.alarms).toBeGreaterThanOrEqual(2);
    expect(k.ackSeconds.p50).toBeGreaterThan(0);
    expect(k.ackSeconds.p95).toBeGreaterThanOrEqual(k.ackSeconds.p50);
    expect(k.ackedWithin60s).toBeGreaterThan(0);
    expect(k.ackedWithin180s).toBeGreaterThanOrEqual(k.ackedWithin60s);
    expect(k.openByAge.map((b: any) => b.bucket)).toEqual(['<1m', '1-5m', '5-15m', '>15m']);
    expect(k.openByAge.reduce((n: number, b: any) => n + b.count, 0)).toBeGreaterThanOrEqual(1);
    expect(k.falseAlarmRate).toEqual([expect.objectContaining({ kind: 'sos', rate: 1, total: 1 })]);
    expect((await asToken(await login('op-a')).get('/api/alarms/kpis')).status).toBe(403);
    expect((await sup.get('/api/alarms/kpis?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400);
  });
});

describe('webhooks', () => {
  it('delivers signed alarm events, retries a failure, and records every delivery', async () => {
    const created = await admin.post('/api/webhooks', {
      url: receiverUrl,
      organisationId: bedB.org.id,
      eventTypes: ['alarm.raised', 'alarm.acknowledged'],
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    await pressSos(bedB.devices.button.credentials, 'hook-1');
    await waitFor(() => received.length >= 2, { timeoutMs: 10_000, what: 'webhook delivered after one retry' });
    const [first, second] = received;
    expect(second.body).toBe(first.body); // the same event, again
    expect(second.at - first.at).toBeGreaterThanOrEqual(900); // backoff
    const payload = JSON.parse(second.body);
    expect(payload).toMatchObject({ type: 'alarm.raised', alarm: { kind: 'sos', organisationId: bedB.org.id } });
    expect(second.headers['x-bedside-event']).toBe('alarm.raised');
    expect(verifyWebhook(secret, second.body, String(second.headers['x-bedside-signature']), Date.now())).toBe(true);
    expect(verifyWebhook('wrong', second.body, String(second.headers['x-bedside-signature']), Date.now())).toBe(false);
    const deliveries = await waitFor(
      async () => {
        const d = (await admin.get(`/api/webhooks/${created.body.id}/deliveries`)).body;
        return d[0]?.status === 'delivered' ? d : null;
      },
      { what: 'delivery recorded' },
    );
    expect(deliveries[0]).toMatchObject({
      eventType: 'alarm.raised',
      status: 'delivered',
      attempts: 2,
      lastStatus: 204,
    });
    // Organisation A's alarms never reach B's webhook.
    expect(received.every((r) => JSON.parse(r.body).alarm.organisationId === bedB.org.id)).toBe(true);
    expect((await asToken(await login('op-b')).get('/api/webhooks')).status).toBe(403);
  }, 30_000);
});
