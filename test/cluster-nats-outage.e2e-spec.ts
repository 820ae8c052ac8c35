import type { MqttClient } from 'mqtt';
import pgDriver from 'pg';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import {
  hubApi,
  partitionSplit,
  startHub,
  startNats,
  startNatsCluster,
  startPostgres,
  waitFor,
  type HubProcess,
  type NatsCluster,
  type NatsServer,
  type PostgresServer,
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

/** Above the 30 s resolution at which hubs store last-seen instants. */
const SILENT_AFTER_MS = 40_000;

/** hub-a and hub-b clustered on a fresh database and the given NATS, once they split the partitions evenly. */
async function startTwoHubs(pg: PostgresServer, database: string, natsUrl: string) {
  const url = await pg.createDatabase(database);
  const hubs: Record<string, HubProcess> = {};
  for (const node of ['hub-a', 'hub-b'])
    hubs[node] = await startHub({
      DATABASE_URL: url,
      NATS_URL: natsUrl,
      CLUSTER_NODE_ID: node,
      CLUSTER_LEASE_TTL_MS: '3000',
      INGEST_COMMIT_DELAY_MS: '0',
    });
  const db = new pgDriver.Client(url);
  await db.connect();
  await waitFor(async () => (await partitionSplit(db))['hub-b'] === 32, { what: 'an even split', timeoutMs: 20_000 });
  return { hubs, db };
}

const ownerOf = async (db: pgDriver.Client, bedId: string) =>
  (
    await db.query<{ owner_node: string }>(
      'select l.owner_node from beds b join partition_leases l on l.partition = b.partition where b.id = $1',
      [bedId],
    )
  ).rows[0].owner_node;

describe('cluster during a NATS outage', () => {
  let pg: PostgresServer;
  let nats: NatsServer;
  let db: pgDriver.Client;
  let hubs: Record<string, HubProcess> = {};
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    nats = await startNats();
    ({ hubs, db } = await startTwoHubs(pg, 'cluster_nats_outage', nats.url));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await db?.end();
    for (const h of Object.values(hubs)) await h.dispose();
    await nats?.stop();
    await pg?.stop();
  });

  const offlineAlarms = async (bedId: string) =>
    (await db.query<{ id: string }>("select id from alarms where bed_id = $1 and kind = 'device_offline'", [bedId]))
      .rows.length;

  it('calls offline only the mattress nobody hears, and the fast path carries readings again after', async () => {
    // Two beds owned by hub-b, their mattresses connected to hub-a.
    const admin = hubApi(hubs['hub-a']);
    const beds: { bedId: string; mattress: Creds }[] = [];
    while (beds.length < 2) {
      const p = await admin.provisionBed(`nats outage ${beds.length}`);
      if ((await ownerOf(db, p.bed.id)) !== 'hub-b') continue;
      const rules = { suppression: { warmupMs: 0 }, deviceOffline: { silentAfterMs: SILENT_AFTER_MS } };
      expect((await admin.put(`/api/beds/${p.bed.id}/rules`, rules)).status).toBe(200);
      beds.push({ bedId: p.bed.id, mattress: p.devices.mattress.credentials as Creds });
    }
    const [talking, quiet] = await Promise.all(
      beds.map(async (b) => {
        const client = await connectDevice(hubs['hub-a'].mqttUrl, b.mattress);
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
        const r = await fetch(`${hubs['hub-a'].httpUrl}/metrics`);
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
  let pg: PostgresServer;
  let nats: NatsCluster;
  let db: pgDriver.Client;
  let hubs: Record<string, HubProcess> = {};
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    nats = await startNatsCluster(3);
    ({ hubs, db } = await startTwoHubs(pg, 'cluster_nats_cluster', nats.url));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await db?.end();
    for (const h of Object.values(hubs)) await h.dispose();
    await nats?.stop();
    await pg?.stop();
  });

  it('loses any one NATS server in turn and still routes an operator change to the owner on another node', async () => {
    const admin = hubApi(hubs['hub-a']);
    let bed: Awaited<ReturnType<typeof admin.provisionBed>>;
    do bed = await admin.provisionBed('nats cluster');
    while ((await ownerOf(db, bed.bed.id)) !== 'hub-b');
    expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
    const button = bed.devices.button.credentials as Creds;
    const client = await connectDevice(hubs['hub-a'].mqttUrl, button);
    clients.push(client);
    await client.publishAsync(
      eventsTopic(button.deviceId),
      JSON.stringify({ eventId: 'sos-1', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    const alarmId = await waitFor(
      async () =>
        (await db.query<{ id: string }>("select id from alarms where bed_id = $1 and kind = 'sos'", [bed.bed.id]))
          .rows[0]?.id,
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
    const notes = await db.query<{ n: number }>(
      "select count(*)::int as n from alarm_audit where alarm_id = $1 and action = 'note'",
      [alarmId],
    );
    expect(notes.rows[0].n).toBe(3);
  });
});
