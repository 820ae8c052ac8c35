import type { MqttClient } from 'mqtt';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import {
  hubApi,
  startClusteredHubs,
  startNats,
  startNatsCluster,
  waitFor,
  type ClusteredHubs,
  type NatsCluster,
  type NatsServer,
} from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Two clustered hubs and the bus between them. With one nats-server and that server down: readings received by the node that does not own
 * the bed cannot reach the owner's rules, yet a mattress that keeps sending is not called
 * offline (the owner reads when another node last heard it before it calls it silent), while
 * one that really went quiet still is. When NATS is back the fast path carries readings again.
 * With a NATS cluster of three: any one server can go, and operators on one node still change
 * alarms of beds the other owns.
 */
jest.setTimeout(180_000);

/** How far a connected device's stored last-seen instant may trail (production: 30 s). */
const LAST_SEEN_RESOLUTION_MS = 5_000;
/** Above that resolution plus the 2 s between writes, with room to spare. */
const SILENT_AFTER_MS = 15_000;

/** hub-a and hub-b clustered on the given NATS, once they split the partitions evenly. */
async function startTwoHubs(database: string, natsUrl: string, hubEnv?: Record<string, string>) {
  const cluster = await startClusteredHubs({ nodes: ['hub-a', 'hub-b'], database, natsUrl, hubEnv });
  await cluster.waitForEvenSplit();
  return cluster;
}

describe('cluster during a NATS outage', () => {
  let nats: NatsServer;
  let cluster: ClusteredHubs;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    nats = await startNats();
    cluster = await startTwoHubs('cluster_nats_outage', nats.url, {
      DEVICE_LAST_SEEN_RESOLUTION_MS: String(LAST_SEEN_RESOLUTION_MS),
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await cluster?.stop();
    await nats?.stop();
  });

  const offlineAlarms = async (bedId: string) =>
    (await cluster.sql("select id from alarms where bed_id = $1 and kind = 'device_offline'", [bedId])).length;

  it('calls offline only the mattress nobody hears, and the fast path carries readings again after', async () => {
    // Two beds owned by hub-b, their mattresses connected to hub-a.
    const admin = hubApi(cluster.hub('hub-a'));
    const beds: { bedId: string; mattress: Creds }[] = [];
    while (beds.length < 2) {
      const p = await admin.provisionBed(`nats outage ${beds.length}`);
      if ((await cluster.ownerOfBed(p.bed.id)) !== 'hub-b') continue;
      const rules = { suppression: { warmupMs: 0 }, deviceOffline: { silentAfterMs: SILENT_AFTER_MS } };
      expect((await admin.put(`/api/beds/${p.bed.id}/rules`, rules)).status).toBe(200);
      beds.push({ bedId: p.bed.id, mattress: p.devices.mattress.credentials as Creds });
    }
    const [talking, quiet] = await Promise.all(
      beds.map(async (b) => {
        const client = await connectDevice(cluster.hub('hub-a').mqttUrl, b.mattress);
        clients.push(client);
        return { ...b, client };
      }),
    );
    let seq = 0;
    const reading = (m: typeof talking) =>
      m.client.publishAsync(
        telemetryTopic(m.mattress.deviceId),
        JSON.stringify({ ts: Date.now(), seq: ++seq, samples: [{ inBed: true, heartRate: 64, respirationRate: 14 }] }),
        { qos: 1 },
      );
    // Both heard by the owner over NATS, then NATS goes away.
    await Promise.all([reading(talking), reading(quiet)]);
    await new Promise((r) => setTimeout(r, 1000));
    const natsPort = nats.port;
    await nats.stop();
    const outageStarted = Date.now();

    // One keeps sending to hub-a every 2 s, the other is silent; the owner hears neither.
    while (Date.now() - outageStarted < SILENT_AFTER_MS + 15_000) {
      await reading(talking);
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect(await offlineAlarms(quiet.bedId)).toBe(1);
    expect(await offlineAlarms(talking.bedId)).toBe(0);

    // NATS back on its port: the hubs reconnect and the readings reach the owner again.
    nats = await startNats({ port: natsPort });
    await waitFor(
      async () => {
        await reading(talking);
        const r = await fetch(`${cluster.hub('hub-a').httpUrl}/metrics`);
        return /bedside_cluster_bus_connected(?:\{[^}]*\})? 1/.test(await r.text());
      },
      { what: 'hub-a connected to NATS again', timeoutMs: 30_000, intervalMs: 1000 },
    );
    for (let i = 0; i < 5; i++) {
      await reading(talking);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(await offlineAlarms(talking.bedId)).toBe(0);
  });
});

describe('cluster on a NATS cluster of three', () => {
  let nats: NatsCluster;
  let cluster: ClusteredHubs;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    nats = await startNatsCluster(3);
    cluster = await startTwoHubs('cluster_nats_cluster', nats.url);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await cluster?.stop();
    await nats?.stop();
  });

  it('loses any one NATS server in turn and still routes an operator change to the owner on another node', async () => {
    const admin = hubApi(cluster.hub('hub-a'));
    let bed: Awaited<ReturnType<typeof admin.provisionBed>>;
    do bed = await admin.provisionBed('nats cluster');
    while ((await cluster.ownerOfBed(bed.bed.id)) !== 'hub-b');
    expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
    const button = bed.devices.button.credentials as Creds;
    const client = await connectDevice(cluster.hub('hub-a').mqttUrl, button);
    clients.push(client);
    await client.publishAsync(
      eventsTopic(button.deviceId),
      JSON.stringify({ eventId: 'sos-1', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    const alarmId = await waitFor(
      async () =>
        (await cluster.sql<{ id: string }>("select id from alarms where bed_id = $1 and kind = 'sos'", [bed.bed.id]))[0]
          ?.id,
      { what: 'the SOS alarm' },
    );

    // Through hub-a, which does not own the bed: each note travels to hub-b over NATS.
    for (let i = 0; i < 3; i++) {
      await nats.servers[i].stop();
      const started = Date.now();
      const res = await admin.post(`/api/alarms/${alarmId}/notes`, { text: `note while NATS server ${i} is down` });
      expect(res.status).toBe(200);
      process.stdout.write(`cluster-nats: server ${i} down, operator note routed in ${Date.now() - started} ms\n`);
      await nats.restart(i);
    }
    const notes = await cluster.sql<{ n: number }>(
      "select count(*)::int as n from alarm_audit where alarm_id = $1 and action = 'note'",
      [alarmId],
    );
    expect(notes[0].n).toBe(3);
  });
});
