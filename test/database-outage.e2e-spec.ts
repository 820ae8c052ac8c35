import type { MqttClient } from 'mqtt';
import { eventsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import {
  hubApi,
  scrape,
  startHub,
  startPostgres,
  waitFor,
  type HubProcess,
  type PostgresServer,
} from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * The hub on a real PostgreSQL server that goes away while a device publishes: nothing is
 * acknowledged that is not stored, the device retransmits, and every message is stored once.
 * Once the database is back, the connections holding unstored messages are closed for their
 * devices to resend a batch at a time, the call for help first, then the oldest hold first.
 */
let pg: PostgresServer;
let hub: HubProcess;

beforeAll(async () => {
  pg = await startPostgres();
  const url = await pg.createDatabase('hub');
  // 10 a second: one connection per 100 ms batch, so the order and the spread can be seen.
  hub = await startHub({ DATABASE_URL: url, MQTT_OUTAGE_RELEASE_PER_S: '10' });
}, 90_000);

afterAll(async () => {
  await hub?.dispose();
  await pg?.stop();
});

it('runs on PostgreSQL and loses nothing acknowledged across a database outage', async () => {
  const api = hubApi(hub);
  expect(((await (await fetch(`${hub.httpUrl}/health`)).json()) as any).checks.database.engine).toBe('postgres');
  const { devices } = await api.provisionBed('outage');
  const creds = devices.button.credentials as Creds;
  const client = await connectDevice(hub.mqttUrl, creds, {
    clean: false,
    reconnectPeriod: 250,
    reconnectOnConnackError: true,
  });
  const acked: string[] = [];
  await client.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId: 'before', type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );

  const logsBefore = hub.logs().length;
  await pg.halt();
  const during = Array.from({ length: 10 }, (_, i) => `during-${i}`);
  const publishes = during.map((id) =>
    client
      .publishAsync(
        eventsTopic(creds.deviceId),
        JSON.stringify({ eventId: id, type: 'button.pressed', ts: Date.now() }),
        { qos: 1 },
      )
      .then(() => acked.push(id)),
  );
  await new Promise((r) => setTimeout(r, 1500));
  expect(acked).toEqual([]); // nothing stored, so nothing acknowledged
  const health = await fetch(`${hub.httpUrl}/health`);
  expect(health.status).toBe(503);
  // Still ready: the outage is every node's, and a node taken out of rotation for it could not
  // hear a call for help either. It says what it knows of the database.
  const ready = await fetch(`${hub.httpUrl}/health/ready`);
  expect(ready.status).toBe(200);
  expect(((await ready.json()) as { checks: { database: { reachable: boolean } } }).checks.database.reachable).toBe(
    false,
  );
  // REST callers hear "come back shortly", not an internal error, and the outage is logged
  // as state changes, not once per failed call.
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${hub.httpUrl}/api/alarms`, { headers: { authorization: hub.authHeader } });
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    expect(res.headers.get('retry-after')).toBe('5');
  }

  await pg.resume();
  await Promise.all(publishes);
  await waitFor(() => hub.logs().includes('database available again'), { what: 'the recovery logged' });
  // Every part of the hub that hit the outage reported it through one outage log: one line when
  // it began (and a reminder only for a long one), none per failed call.
  const errors = hub
    .logs()
    .slice(logsBefore)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level >= 50)
    .map((l) => l.msg);
  expect(errors).toEqual(['database unavailable']);
  expect(acked.sort()).toEqual([...during].sort());
  await client.publishAsync(
    telemetryTopic(creds.deviceId),
    JSON.stringify({ ts: Date.now(), seq: 1, samples: [{ battery: 88 }] }),
    { qos: 1 },
  );

  const events = await waitFor(
    async () => {
      const r = await api.get(
        `/api/devices/${creds.deviceId}/events?from=${new Date(Date.now() - 600_000).toISOString()}`,
      );
      return r.status === 200 && r.body.length >= 11 ? r.body : null;
    },
    { what: 'events stored' },
  );
  expect(events.map((e: any) => e.eventId).sort()).toEqual(['before', ...during].sort());
  const failures = (await (await fetch(`${hub.httpUrl}/metrics`)).text())
    .split('\n')
    .find((l) => l.startsWith('bedside_ingest_store_failures_total{channel="events"}'));
  expect(Number(failures?.split(' ').pop())).toBeGreaterThanOrEqual(1);
  await client.endAsync();
}, 60_000);

it('after the outage closes the holding connections one batch at a time: the call for help first, then oldest first', async () => {
  const api = hubApi(hub);
  const beds = await Promise.all(Array.from({ length: 8 }, (_, i) => api.provisionBed(`release-${i}`)));
  const devices = beds.flatMap((b) =>
    (['mattress', 'button', 'wearable'] as const).map((kind) => b.devices[kind].credentials as Creds),
  );
  const closes: { deviceId: string; at: number }[] = [];
  const clients: MqttClient[] = await Promise.all(
    devices.map(async (creds) => {
      const client = await connectDevice(hub.mqttUrl, creds, {
        clean: false,
        reconnectPeriod: 250,
        reconnectOnConnackError: true,
      });
      client.on('close', () => closes.push({ deviceId: creds.deviceId, at: Date.now() }));
      return client;
    }),
  );
  const metrics = async () => {
    const read = await scrape(hub.httpUrl);
    return {
      held: read('bedside_mqtt_held_for_outage_total'),
      holding: read('bedside_mqtt_outage_holding_connections'),
      released: read('bedside_mqtt_outage_released_total'),
    };
  };
  const before = await metrics();
  const logsBefore = hub.logs().length;

  await pg.halt();
  // One at a time, each held before the next is sent, so the order of the holds is known.
  const acked: Promise<unknown>[] = [];
  for (const [i, creds] of devices.entries()) {
    acked.push(
      clients[i].publishAsync(
        statusTopic(creds.deviceId),
        JSON.stringify({ state: 'online', ts: Date.now(), firmware: '1.0.0', battery: 90 }),
        { qos: 1 },
      ),
    );
    await waitFor(async () => (await metrics()).held === before.held + i + 1, {
      timeoutMs: 15_000,
      what: `device ${i}'s status held`,
    });
  }
  // A button among the last to hold calls for help on its held connection.
  const caller = beds[7].devices.button.credentials as Creds;
  acked.push(
    clients[devices.indexOf(caller)].publishAsync(
      eventsTopic(caller.deviceId),
      JSON.stringify({ eventId: 'sos-while-held', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    ),
  );
  await waitFor(async () => (await metrics()).held === before.held + devices.length + 1, { what: 'the call held' });
  expect((await metrics()).holding).toBe(devices.length);
  expect(closes).toEqual([]);

  await pg.resume();
  await Promise.all(acked); // every device resent once closed, and was stored
  const order = closes.map((c) => c.deviceId);
  expect(order).toEqual([caller.deviceId, ...devices.map((d) => d.deviceId).filter((id) => id !== caller.deviceId)]);
  const spreadMs = closes.at(-1)!.at - closes[0].at;
  // 24 connections at 10 a second: 23 gaps of 100 ms.
  expect(spreadMs).toBeGreaterThanOrEqual(2_000);
  expect(spreadMs).toBeLessThan(5_000);
  const after = await metrics();
  expect(after.released - before.released).toBe(devices.length);
  expect(after.holding).toBe(0);
  const done = hub
    .logs()
    .slice(logsBefore)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; closed?: number; alreadyGone?: number; overMs?: number })
    .find((l) => l.msg === 'connections holding unacknowledged messages closed so their devices resend');
  expect(done).toMatchObject({ closed: devices.length, alreadyGone: 0 });
  expect(done!.overMs).toBeGreaterThanOrEqual(2_000);
  process.stdout.write(
    `database-outage: ${devices.length} holding connections closed over ${spreadMs} ms (hub: ${done!.overMs} ms), the call for help first\n`,
  );
  await Promise.all(clients.map((c) => c.endAsync()));
}, 60_000);
