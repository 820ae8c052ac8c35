import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, startPostgres, waitFor, type HubProcess, type PostgresServer } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * The hub on a real PostgreSQL server that goes away while a device publishes: nothing is
 * acknowledged that is not stored, the device retransmits, and every message is stored once.
 */
let pg: PostgresServer;
let hub: HubProcess;

beforeAll(async () => {
  pg = await startPostgres();
  const url = await pg.createDatabase('hub');
  hub = await startHub({ DATABASE_URL: url });
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
