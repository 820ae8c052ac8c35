import type { MqttClient } from 'mqtt';
import { statusTopic } from '@bedside/contracts';
import {
  hubApi,
  startClusteredHubs,
  startHub,
  startPostgres,
  waitFor,
  type ClusteredHubs,
  type HubProcess,
  type PostgresServer,
} from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { button, expectStoredOnce, press, sleep, tenant } from './provisional-fixture';
import type { Api } from './tenant-fixture';

/**
 * An SOS pressed while PostgreSQL is unreachable (stopped, or frozen with SIGSTOP) reaches its
 * organisation's consoles within 5 s as a provisional notice, and no other organisation's; the
 * device is not acknowledged and keeps resending; once the database is back the call is stored
 * once, the stored notice follows and the one alarm carries the call's event id. Then the same
 * with two clustered hubs, the console on the hub the device is not connected to.
 */
jest.setTimeout(180_000);

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

  let east: {
    a: Awaited<ReturnType<typeof tenant>>;
    device: Awaited<ReturnType<typeof button>>;
    consoleA: AlarmStreamClient;
  };

  it('database stopped: the console gets a provisional SOS within 5 s, the other organisation nothing; then one alarm', async () => {
    const a = await tenant(hub, admin, 'east');
    const b = await tenant(hub, admin, 'west');
    const device = await button(hub, a.button);
    clients.push(device.client);
    // The bed's label is read when its call device connects (in a batch, within a second).
    await sleep(1500);
    const consoleA = await openAlarmStream(hub.httpUrl, a.auth);
    const consoleB = await openAlarmStream(hub.httpUrl, b.auth);
    expect([consoleA.status, consoleB.status]).toEqual([200, 200]);
    open.push(consoleA, consoleB);
    east = { a, device, consoleA };

    await pg.halt();
    const sos = press(device.client, a.button, 'sos-stopped');
    const notice = await waitFor(() => consoleA.noticesOf('provisional.alarm')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice',
    });
    const latencyMs = notice.receivedAt - sos.at;
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
    const late = await openAlarmStream(hub.httpUrl, a.auth);
    expect(late.status).toBe(200);
    open.push(late);
    await waitFor(() => late.noticesOf('provisional.alarm').length > 0, {
      timeoutMs: 5000,
      what: 'the open call on connect',
    });

    await sleep(3000);
    expect(sos.acked()).toBe(false); // not stored, so not acknowledged
    expect(device.reconnects()).toBe(0); // held unacknowledged on its open connection, which stays read
    expect(consoleA.noticesOf('provisional.alarm')).toHaveLength(1);

    await pg.resume();
    await sos.done;
    const alarm = await expectStoredOnce(consoleA, admin, a.bed.id, a.button.deviceId, 'sos-stopped');
    expect(alarm.type).toBe('alarm.raised');
    // The console that connected during the outage kept its stream: its replay waited for the
    // database, then the journal went on with the same alarm and its stored notice.
    await waitFor(() => late.noticesOf('provisional.stored', (d) => d.alarmId === alarm.data.alarm.id).length === 1, {
      what: 'the stored notice on the stream opened during the outage',
    });
    const lateAlarm = late.events.find((e) => e.type === 'alarm.raised' && e.data.alarm.id === alarm.data.alarm.id);
    expect(lateAlarm?.id).toBe(alarm.id);
    expect(late.all.indexOf(lateAlarm!)).toBeLessThan(late.all.findIndex((e) => e.type === 'provisional.stored'));
    expect(consoleB.notices).toEqual([]); // organisation isolation
    // Stored: a console connecting now has no open call to be shown.
    const after = await openAlarmStream(hub.httpUrl, a.auth);
    expect(after.status).toBe(200);
    open.push(after);
    await sleep(500);
    expect(after.noticesOf('provisional.alarm')).toEqual([]);
    process.stdout.write(`provisional-sos: database stopped -> console notice in ${latencyMs} ms\n`);
  });

  it('database frozen (SIGSTOP): a call behind a waiting status is read, its notice comes after the storage bound; the repeat press updates the one alarm', async () => {
    const { a, device, consoleA } = east;
    // The hub knows the database is back (its probe), so only the storage bound can tell.
    await waitFor(async () => (await fetch(`${hub.httpUrl}/health`)).status === 200, {
      what: 'the database reported available again',
    });
    pg.freeze();
    // A status sent just before waits for the frozen database (nothing fails, nothing answers);
    // the call behind it on the same connection must still be read.
    let statusAcked = false;
    void device.client
      .publishAsync(
        statusTopic(a.button.deviceId),
        JSON.stringify({ state: 'online', ts: Date.now(), firmware: '1.0.0', battery: 80 }),
        { qos: 1 },
      )
      .then(() => (statusAcked = true));
    await sleep(300);
    const sos = press(device.client, a.button, 'sos-frozen');
    const notice = await waitFor(() => consoleA.noticesOf('provisional.alarm', (d) => d.eventId === 'sos-frozen')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice',
    });
    const latencyMs = notice.receivedAt - sos.at;
    expect(latencyMs).toBeLessThan(5000);
    expect(latencyMs).toBeGreaterThanOrEqual(900); // the storage bounds, not a failure, told it
    expect(notice.data.residentName).toBe('resident east');
    await sleep(2000);
    expect(sos.acked()).toBe(false);
    expect(statusAcked).toBe(false);
    pg.thaw();
    await sos.done;
    expect(statusAcked).toBe(true);
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
    const consoleA = await openAlarmStream(hubB.httpUrl, a.auth);
    const consoleB = await openAlarmStream(hubB.httpUrl, b.auth);
    expect([consoleA.status, consoleB.status]).toEqual([200, 200]);
    open.push(consoleA, consoleB);

    await pg.halt();
    const sos = press(device.client, a.button, 'sos-cluster');
    const notice = await waitFor(() => consoleA.noticesOf('provisional.alarm')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice on the other hub',
    });
    const latencyMs = notice.receivedAt - sos.at;
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
    expect(consoleA.noticesOf('provisional.alarm')).toHaveLength(1);

    await pg.resume();
    await sos.done;
    await expectStoredOnce(consoleA, admin, a.bed.id, a.button.deviceId, 'sos-cluster');
    expect(consoleB.notices).toEqual([]);
    process.stdout.write(
      `provisional-sos: clustered, database stopped -> notice on the other hub in ${latencyMs} ms\n`,
    );
  });
});
