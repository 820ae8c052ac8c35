import type { MqttClient } from 'mqtt';
import { statusTopic } from '@bedside/contracts';
import {
  freePort,
  hubApi,
  scrape,
  startClusterBed,
  startClusteredHubs,
  startHaproxy,
  waitFor,
  type ClusterBed,
  type ClusteredHubs,
  type HaproxyServer,
  type HubProcess,
} from '@bedside/testing';
import { openAlarmStream } from '../libs/alarms/src/testing/alarm-stream-client';
import { button, expectStoredOnce, press, sleep, tenant } from './provisional-fixture';

/**
 * A PostgreSQL outage as users run the cluster: devices and consoles through HAProxy. The
 * outage is every node's, so the nodes stay in rotation (a node taken out would have its
 * devices and consoles cut off when a call for help can only be shown as not yet stored). A
 * message the hub cannot store is held unacknowledged on the open connection, so what the
 * device sends after it is still read; a device whose connection drops logs in again with the
 * identity the node remembers; a call made seconds into the outage reaches the console at once;
 * once the database is back the device resends and everything is stored once. A node cut off
 * from the database alone, while the other reaches it, does leave the rotation.
 */
jest.setTimeout(120_000);

describe('PostgreSQL outage behind HAProxy', () => {
  let cluster: ClusterBed;
  const open: { close(): void }[] = [];
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    cluster = await startClusterBed({ nodes: ['hub-a', 'hub-b'], database: 'cluster_database_outage' });
    await cluster.waitForSteadyState();
  }, 120_000);

  afterAll(async () => {
    open.forEach((s) => s.close());
    await Promise.all(clients.map((c) => c.endAsync(true)));
    cluster?.pg.thaw();
    await cluster?.stop();
  });

  it('keeps devices and consoles connected: an SOS behind a held message is shown at once, a dropped device gets back in', async () => {
    const hub = cluster.hub('hub-a');
    const admin = hubApi(hub);
    const t = await tenant(hub, admin, 'outage');
    const device = await button(cluster, t.button);
    clients.push(device.client);
    await sleep(1500); // the bed's label, read when its call device connects
    const stream = await openAlarmStream(cluster.httpUrl, t.auth);
    expect(stream.status).toBe(200);
    open.push(stream);
    let streamEnded = false;
    void stream.ended.then(() => (streamEnded = true));
    const logsBefore = cluster.hubs.map((h) => h.logs().length);
    await cluster.pg.halt();
    const outageStarted = Date.now();
    // A status the hub cannot store: held unacknowledged, and the connection stays open and read.
    let statusAcked = false;
    void device.client
      .publishAsync(
        statusTopic(t.button.deviceId),
        JSON.stringify({ state: 'online', ts: Date.now(), firmware: '1.0.0', battery: 90 }),
        { qos: 1 },
      )
      .then(() => (statusAcked = true));
    await sleep(1000);
    expect(statusAcked).toBe(false);
    expect(device.reconnects()).toBe(0);

    // Several of HAProxy's readiness checks later (every 500 ms here, out after 2 failures), a
    // call for help on the open connection, behind the held status:
    await sleep(Math.max(0, 5000 - (Date.now() - outageStarted)));
    const sos = press(device.client, t.button, 'sos-later-in-the-outage');
    const notice = await waitFor(() => stream.noticesOf('provisional.alarm')[0], {
      timeoutMs: 5000,
      what: 'the provisional notice through HAProxy',
    });
    expect(notice.data).toMatchObject({
      key: `${t.button.deviceId}/sos-later-in-the-outage`,
      bedId: t.bed.id,
      residentName: 'resident outage',
    });
    expect(streamEnded).toBe(false); // the console kept its stream through the proxy

    // The network drops the device's connection: it must be let in again without the database.
    // (MQTT.js says 'connect' only once it has resent what is unacknowledged, one message at a
    // time, each after the last one's PUBACK, which the outage holds; so the CONNACK is what tells.)
    let accepted = 0;
    device.client.on('packetreceive', (p) => {
      if (p.cmd === 'connack' && p.returnCode === 0) accepted++;
    });
    (device.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitFor(() => accepted > 0, { timeoutMs: 10_000, what: 'the device let in again during the outage' });
    const outageLogins = await Promise.all(
      cluster.hubs.map(async (h) => (await scrape(h.httpUrl))('bedside_mqtt_outage_logins_total')),
    );
    expect(outageLogins.reduce((a, b) => a + b, 0)).toBe(1);

    const ready = await fetch(`${cluster.httpUrl}/health/ready`);
    expect(ready.status).toBe(200); // through the proxy: a node is still in rotation
    expect(sos.acked()).toBe(false); // not stored, so not acknowledged
    expect(statusAcked).toBe(false);

    // Each node logs the outage as one, not once per poll, tick or retry that meets it (the
    // pool's dropped connections are each logged once, when they drop).
    const repeated = cluster.hubs.flatMap((h, i) => {
      const counts = new Map<string, number>();
      for (const line of h.logs().slice(logsBefore[i]).split('\n')) {
        if (!line.startsWith('{')) continue;
        const { level, msg } = JSON.parse(line) as { level: number; msg: string };
        if (level >= 40 && !msg.startsWith('database connection lost')) counts.set(msg, (counts.get(msg) ?? 0) + 1);
      }
      return [...counts].filter(([, n]) => n > 1).map(([msg, n]) => `${cluster.nodes[i]}: ${msg} x${n}`);
    });
    expect(repeated).toEqual([]);

    await cluster.pg.resume();
    await sos.done; // the hub closed the connection once the database was back, and the device resent
    expect(statusAcked).toBe(true);
    await expectStoredOnce(stream, admin, t.bed.id, t.button.deviceId, 'sos-later-in-the-outage');
    process.stdout.write(
      `cluster-database-outage: SOS pressed ${sos.at - outageStarted} ms into the outage -> notice through HAProxy in ${notice.receivedAt - sos.at} ms\n`,
    );
  });
});

/** A TCP proxy (HAProxy) between one node and PostgreSQL: stopping it cuts that node off alone. */
async function databaseLink(databasePort: number) {
  const port = await freePort();
  const config = `global
    maxconn 100
defaults
    mode tcp
    timeout connect 2s
    timeout client 1h
    timeout server 1h
frontend pg
    bind 127.0.0.1:${port}
    default_backend pg
backend pg
    server pg 127.0.0.1:${databasePort}
`;
  let proxy: HaproxyServer | null = await startHaproxy(config, [port]);
  return {
    port,
    async cut() {
      await proxy?.stop();
      proxy = null;
    },
    async restore() {
      proxy ??= await startHaproxy(config, [port]);
    },
    stop: () => proxy?.stop(),
  };
}

describe('one node cut off from PostgreSQL alone', () => {
  let cluster: ClusteredHubs;
  let link: Awaited<ReturnType<typeof databaseLink>> | null = null;

  beforeAll(async () => {
    cluster = await startClusteredHubs({
      nodes: ['hub-a', 'hub-b'],
      database: 'cluster_database_cut_off',
      databaseUrlOf: async (node, url) => {
        if (node !== 'hub-b') return url;
        const u = new URL(url);
        link = await databaseLink(Number(u.port));
        u.port = String(link.port);
        return u.toString();
      },
    });
    await cluster.waitForSteadyState();
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await link?.stop();
  });

  const readiness = async (hub: HubProcess) => {
    const res = await fetch(`${hub.httpUrl}/health/ready`);
    const body = (await res.json()) as { checks: { database: { reachable: boolean; cutOffAlone?: boolean } } };
    return { status: res.status, database: body.checks.database };
  };

  it('leaves the rotation while the other node reaches the database, and comes back with it', async () => {
    const [hubA, hubB] = [cluster.hub('hub-a'), cluster.hub('hub-b')];
    expect((await readiness(hubB)).status).toBe(200);

    await link!.cut();
    const cutAt = Date.now();
    await waitFor(async () => (await readiness(hubB)).status === 503, {
      timeoutMs: 10_000,
      what: 'hub-b not ready, cut off alone',
    });
    const outAfterMs = Date.now() - cutAt;
    expect((await readiness(hubB)).database).toMatchObject({ reachable: false, cutOffAlone: true });
    expect((await readiness(hubA)).status).toBe(200);
    // Its partitions go to the node that can write them.
    await waitFor(async () => (await cluster.owners())['hub-a'] === 64, {
      timeoutMs: 15_000,
      what: 'hub-a owning every partition',
    });

    await link!.restore();
    await waitFor(async () => (await readiness(hubB)).status === 200, {
      timeoutMs: 15_000,
      what: 'hub-b ready again',
    });
    expect((await readiness(hubB)).database).toMatchObject({ reachable: true, cutOffAlone: false });
    await cluster.waitForEvenSplit(30_000);
    process.stdout.write(`cluster-database-outage: a node cut off alone left the rotation in ${outAfterMs} ms\n`);
  });
});
