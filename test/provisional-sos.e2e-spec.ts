import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import {
  hubApi,
  readEventStream,
  startClusteredHubs,
  startHub,
  startPostgres,
  waitFor,
  type ClusteredHubs,
  type HubProcess,
  type PostgresServer,
} from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf, signIn, type Api } from './tenant-fixture';

/**
 * An SOS pressed while PostgreSQL is unreachable (stopped, or frozen with SIGSTOP) reaches its
 * organisation's consoles within 5 s as a provisional notice, and no other organisation's; the
 * device is not acknowledged and keeps resending; once the database is back the call is stored
 * once, the stored notice follows and the one alarm carries the call's event id. Then the same
 * with two clustered hubs, the console on the hub the device is not connected to.
 */
jest.setTimeout(180_000);

interface Received {
  type: string;
  id: string | undefined;
  data: Record<string, any>;
  at: number;
}

/** A console's alarm stream, read with the tests' SSE reader: every event with its arrival time. */
async function openStream(httpUrl: string, auth: string) {
  const abort = new AbortController();
  const res = await fetch(`${httpUrl}/api/alarms/stream`, {
    headers: { authorization: auth, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const events: Received[] = [];
  const ended = readEventStream(res.body!, {
    onEvent: (m) =>
      events.push({
        type: m.event ?? 'message',
        id: m.id,
        data: JSON.parse(m.data) as Record<string, any>,
        at: Date.now(),
      }),
  }).catch(() => undefined);
  return {
    events,
    ended,
    of: (type: string, pred: (d: Record<string, any>) => boolean = () => true) =>
      events.filter((e) => e.type === type && pred(e.data)),
    close: () => abort.abort(),
  };
}
type Stream = Awaited<ReturnType<typeof openStream>>;

/** A bed in its own organisation, an operator of that organisation signed in, SOS alarms raised at once. */
async function tenant(hub: HubProcess, admin: Api, label: string) {
  const bed = await admin.provisionBed(label);
  expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
  const username = `operator-${label}`;
  const r = await admin.post('/api/users', {
    username,
    password: passwordOf(username),
    displayName: `operator ${label}`,
    role: 'operator',
    organisationId: bed.org.id,
  });
  expect(r.status).toBe(201);
  return { ...bed, button: bed.devices.button.credentials as Creds, auth: await signIn(hub, username) };
}

/** A button that reconnects and resends like a device: a persistent session, retries every 250 ms. */
async function button(hub: HubProcess, creds: Creds) {
  const client = await connectDevice(hub.mqttUrl, creds, {
    clean: false,
    reconnectPeriod: 250,
    reconnectOnConnackError: true,
  });
  let reconnects = 0;
  client.on('reconnect', () => reconnects++);
  return { client, reconnects: () => reconnects };
}

function press(client: MqttClient, creds: Creds, eventId: string) {
  let acked = false;
  const done = client
    .publishAsync(eventsTopic(creds.deviceId), JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }), {
      qos: 1,
    })
    .then(() => (acked = true));
  return { done, acked: () => acked, at: Date.now() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a console sees of one call once it is stored: the alarm event the rules wrote for it (on
 * the journal, with an id), then the stored notice naming that alarm, and only one SOS alarm.
 */
async function expectStoredOnce(console: Stream, api: Api, bedId: string, deviceId: string, eventId: string) {
  const key = `${deviceId}/${eventId}`;
  const stored = await waitFor(() => console.of('provisional.stored', (d) => d.key === key)[0], {
    timeoutMs: 30_000,
    what: 'the stored notice',
  });
  const alarms = (await api.get(`/api/alarms?bedId=${bedId}`)).body.filter((a: { kind: string }) => a.kind === 'sos');
  expect(alarms).toHaveLength(1);
  expect(stored.data.alarmId).toBe(alarms[0].id);
  const alarmEvent = console.events.findLast(
    (e) => e.type.startsWith('alarm.') && e.data.alarm.id === alarms[0].id && e.at <= stored.at,
  );
  expect(alarmEvent?.id).toMatch(/^\d+$/); // journalled, and on the stream before the stored notice
  expect(console.events.indexOf(alarmEvent!)).toBeLessThan(console.events.indexOf(stored));
  expect(console.of('provisional.alarm', (d) => d.key === key)).toHaveLength(1);
  expect(console.of('provisional.stored', (d) => d.key === key)).toHaveLength(1);
  return alarmEvent!;
}

describe('SOS while PostgreSQL is unreachable, one hub', () => {
  let pg: PostgresServer;
  let hub: HubProcess;
  let admin: Api;
  const open: { close(): void }[] = [];
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    hub = await startHub({ DATABASE_URL: await pg.createDatabase('hub') });
    admin = hubApi(hub);
  }, 90_000);

  afterAll(async () => {
    open.forEach((s) => s.close());
    await Promise.all(clients.map((c) => c.endAsync(true)));
    pg?.thaw();
    await hub?.dispose();
    await pg?.stop();
  });

  let east: { a: Awaited<ReturnType<typeof tenant>>; device: Awaited<ReturnType<typeof button>>; consoleA: Stream };

  it('database stopped: the console gets a provisional SOS within 5 s, the other organisation nothing; then one alarm', async () => {
    const a = await tenant(hub, admin, 'east');
    const b = await tenant(hub, admin, 'west');
    const device = await button(hub, a.button);
    clients.push(device.client);
    // The bed's label is read when its call device connects (in a batch, within a second).
    await sleep(1500);
    const consoleA = await openStream(hub.httpUrl, a.auth);
    const consoleB = await openStream(hub.httpUrl, b.auth);
    open.push(consoleA, consoleB);
    east = { a, device, consoleA };

    await pg.halt();
    const sos = press(device.client, a.button, 'sos-stopped');
    const notice = await waitFor(() => consoleA.of('provisional.alarm')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice',
    });
    const latencyMs = notice.at - sos.at;
    expect(latencyMs).toBeLessThan(5000);
    expect(notice.id).toBeUndefined(); // not part of the journal: Last-Event-ID is untouched
    expect(notice.data).toMatchObject({
      key: `${a.button.deviceId}/sos-stopped`,
      organisationId: a.org.id,
      deviceId: a.button.deviceId,
      bedId: a.bed.id,
      eventId: 'sos-stopped',
      eventType: 'button.pressed',
      residentName: 'resident east',
      bedLabel: 'east',
      householdName: 'household east',
      node: null,
    });

    // A console that connects now is sent the open call first: its operator's session, confirmed
    // before the outage, is served from the hub's memory while the database is unreachable.
    const late = await openStream(hub.httpUrl, a.auth);
    open.push(late);
    await waitFor(() => late.of('provisional.alarm').length > 0, { timeoutMs: 5000, what: 'the open call on connect' });

    await sleep(3000);
    expect(sos.acked()).toBe(false); // not stored, so not acknowledged
    expect(device.reconnects()).toBeGreaterThanOrEqual(2); // and the device keeps trying
    expect(consoleA.of('provisional.alarm')).toHaveLength(1); // one notice across the resends

    await pg.resume();
    await sos.done;
    const alarm = await expectStoredOnce(consoleA, admin, a.bed.id, a.button.deviceId, 'sos-stopped');
    expect(alarm.type).toBe('alarm.raised');
    // The console that connected during the outage kept its stream: its replay waited for the
    // database, then the journal went on with the same alarm and its stored notice.
    await waitFor(() => late.of('provisional.stored', (d) => d.alarmId === alarm.data.alarm.id).length === 1, {
      what: 'the stored notice on the stream opened during the outage',
    });
    const lateAlarm = late.events.find((e) => e.type === 'alarm.raised' && e.data.alarm.id === alarm.data.alarm.id);
    expect(lateAlarm?.id).toBe(alarm.id);
    expect(late.events.indexOf(lateAlarm!)).toBeLessThan(late.events.findIndex((e) => e.type === 'provisional.stored'));
    expect(consoleB.events.filter((e) => e.type.startsWith('provisional.'))).toEqual([]); // organisation isolation
    // Stored: a console connecting now has no open call to be shown.
    const after = await openStream(hub.httpUrl, a.auth);
    open.push(after);
    await sleep(500);
    expect(after.of('provisional.alarm')).toEqual([]);
    process.stdout.write(`provisional-sos: database stopped -> console notice in ${latencyMs} ms\n`);
  });

  it('database frozen (SIGSTOP): the notice comes after the storage bound; the repeat press updates the one alarm', async () => {
    const { a, device, consoleA } = east;
    // The hub knows the database is back (its probe), so only the storage bound can tell.
    await waitFor(async () => (await fetch(`${hub.httpUrl}/health`)).status === 200, {
      what: 'the database reported available again',
    });
    pg.freeze();
    const sos = press(device.client, a.button, 'sos-frozen');
    const notice = await waitFor(() => consoleA.of('provisional.alarm', (d) => d.eventId === 'sos-frozen')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice',
    });
    const latencyMs = notice.at - sos.at;
    expect(latencyMs).toBeLessThan(5000);
    expect(latencyMs).toBeGreaterThanOrEqual(900); // the 1 s storage bound, not a failure, told it
    expect(notice.data.residentName).toBe('resident east');
    await sleep(2000);
    expect(sos.acked()).toBe(false);
    pg.thaw();
    await sos.done;
    const alarm = await expectStoredOnce(consoleA, admin, a.bed.id, a.button.deviceId, 'sos-frozen');
    expect(alarm.type).toBe('alarm.updated'); // the open SOS counts the press; no second alarm
    process.stdout.write(`provisional-sos: database frozen -> console notice in ${latencyMs} ms\n`);
  });
});

describe('SOS while PostgreSQL is unreachable, two clustered hubs', () => {
  let cluster: ClusteredHubs;
  const open: { close(): void }[] = [];
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    cluster = await startClusteredHubs({ nodes: ['hub-a', 'hub-b'], database: 'cluster_provisional' });
  }, 120_000);

  afterAll(async () => {
    open.forEach((s) => s.close());
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await cluster?.stop();
  });

  it('the device on one hub, the console on the other: the notice within 5 s, then one alarm', async () => {
    const [hubA, hubB] = cluster.hubs;
    const pg = cluster.pg;
    const admin = hubApi(hubA);
    const a = await tenant(hubB, admin, 'north');
    const b = await tenant(hubB, admin, 'south');
    const device = await button(hubA, a.button);
    clients.push(device.client);
    await sleep(1500); // the bed's label, read when its call device connects
    const consoleA = await openStream(hubB.httpUrl, a.auth);
    const consoleB = await openStream(hubB.httpUrl, b.auth);
    open.push(consoleA, consoleB);

    await pg.halt();
    const sos = press(device.client, a.button, 'sos-cluster');
    const notice = await waitFor(() => consoleA.of('provisional.alarm')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice on the other hub',
    });
    const latencyMs = notice.at - sos.at;
    expect(notice.id).toBeUndefined();
    expect(notice.data).toMatchObject({
      key: `${a.button.deviceId}/sos-cluster`,
      organisationId: a.org.id,
      bedId: a.bed.id,
      node: 'hub-a',
      residentName: 'resident north',
    });
    await sleep(2000);
    expect(sos.acked()).toBe(false);
    expect(consoleA.of('provisional.alarm')).toHaveLength(1);

    await pg.resume();
    await sos.done;
    await expectStoredOnce(consoleA, admin, a.bed.id, a.button.deviceId, 'sos-cluster');
    expect(consoleB.events.filter((e) => e.type.startsWith('provisional.'))).toEqual([]);
    process.stdout.write(
      `provisional-sos: clustered, database stopped -> notice on the other hub in ${latencyMs} ms\n`,
    );
  });
});
