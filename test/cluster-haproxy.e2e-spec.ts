import { connect as tcpConnect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { hubApi, startClusterBed, waitFor, type ClusterBed, type HubProcess } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * HAProxy (Debian 2.6) in front of two built hubs sharing one PostgreSQL: devices are spread by
 * a consistent hash of their MQTT client id and keep their node, the hubs see the devices' own
 * addresses through PROXY protocol v2, and a node that goes down hands its devices to the other.
 */
jest.setTimeout(180_000);

describe('cluster behind HAProxy', () => {
  let cluster: ClusterBed;
  let hubs: HubProcess[];
  let proxyMqtt: number;
  const devices: Creds[] = [];
  const leaseSplit = () => cluster.owners();

  beforeAll(async () => {
    cluster = await startClusterBed({
      nodes: ['hub-a', 'hub-b'],
      database: 'cluster_haproxy',
      hubEnv: { LOG_LEVEL: 'info' },
    });
    hubs = cluster.hubs;
    proxyMqtt = Number(new URL(cluster.mqttUrl).port);
    const admin = hubApi(hubs[0]);
    for (let i = 0; i < 6; i++) {
      const bed = await admin.provisionBed(`cluster bed ${i}`);
      for (const d of Object.values(bed.devices)) devices.push(d.credentials as Creds);
    }
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Connects through the proxy and answers which hub holds the connection (device_sessions, kept by each hub). */
  const landing = async (creds: Creds): Promise<number> => {
    const client = await connectDevice(`mqtt://127.0.0.1:${proxyMqtt}`, creds);
    try {
      const node = await waitFor(
        async () =>
          (
            await cluster.db.query<{ node_id: string }>('select node_id from device_sessions where device_id = $1', [
              creds.deviceId,
            ])
          ).rows[0]?.node_id,
        { timeoutMs: 5_000, intervalMs: 50, what: `${creds.deviceId}'s session row` },
      );
      return ['hub-a', 'hub-b'].indexOf(node);
    } finally {
      await client.endAsync();
      // Gone with the connection, so the next landing reads the next connection's row.
      await waitFor(
        async () =>
          (await cluster.db.query('select 1 from device_sessions where device_id = $1', [creds.deviceId])).rowCount ===
          0,
        { timeoutMs: 5_000, intervalMs: 50, what: `${creds.deviceId}'s session row removed` },
      );
    }
  };
  const landingWhenUp = (creds: Creds) =>
    waitFor(async () => ({ node: await landing(creds) }), {
      timeoutMs: 15_000,
      intervalMs: 200,
      what: `${creds.deviceId} to connect`,
    }).then(
      (r) => r.node,
      (err: Error) => {
        throw new Error(`${err.message}\n${cluster.proxy.logs().slice(-2000)}`);
      },
    );

  it('keeps each client id on one node, spreads ids over both, and moves only a lost node’s devices', async () => {
    await waitFor(async () => JSON.stringify(await leaseSplit()) === JSON.stringify({ 'hub-a': 32, 'hub-b': 32 }), {
      timeoutMs: 10_000,
      what: 'the hubs sharing the partition leases 32/32',
    });
    const first: number[] = [];
    for (const d of devices) first.push(await landingWhenUp(d));
    for (const [i, d] of devices.entries()) expect(await landing(d)).toBe(first[i]);
    const onA = first.filter((n) => n === 0).length;
    expect(onA).toBeGreaterThan(0);
    expect(onA).toBeLessThan(devices.length);

    // hub-b goes down hard: its devices reach hub-a once HAProxy's checks mark it down; hub-a's stay.
    await hubs[1].kill();
    const killedAt = Date.now();
    await waitFor(async () => (await leaseSplit())['hub-a'] === 64, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: "hub-a taking hub-b's leases",
    });
    const leaseTakeoverMs = Date.now() - killedAt;
    expect(leaseTakeoverMs).toBeLessThan(2500);
    const afterKill: number[] = [];
    for (const d of devices) afterKill.push(await landingWhenUp(d));
    expect(afterKill.every((n) => n === 0)).toBe(true);

    // Back up: the same devices return to hub-b (consistent hashing), the others never moved.
    await hubs[1].restart();
    await waitFor(async () => (await landing(devices[first.indexOf(1)]).catch(() => -1)) === 1, {
      timeoutMs: 20_000,
      intervalMs: 300,
      what: 'hub-b back in rotation',
    });
    for (const [i, d] of devices.entries()) expect(await landingWhenUp(d)).toBe(first[i]);
    await waitFor(async () => (await leaseSplit())['hub-b'] === 32, {
      timeoutMs: 10_000,
      what: 'hub-b given its share back',
    });

    // A graceful stop (SIGTERM) drains: hub-b hands its leases over before it exits.
    await hubs[1].stop();
    const drained = await leaseSplit();
    expect(drained['hub-b']).toBeUndefined();
    await waitFor(async () => (await leaseSplit())['hub-a'] === 64, {
      timeoutMs: 3000,
      what: 'hub-a taking the drained leases',
    });
    expect(hubs[1].logs()).toMatch(/partition leases handed over.*"reason":"drain"/);
    await hubs[1].restart();
    process.stdout.write(
      `cluster-haproxy: ${onA}/${devices.length} devices on hub-a, ${devices.length - onA} on hub-b; ` +
        `leases of the killed hub taken in ${leaseTakeoverMs} ms\n`,
    );
  });

  it('the hub logs the device’s own address carried by PROXY protocol v2, not the proxy’s', async () => {
    // The device connects from 127.0.0.2; HAProxy reaches the hubs from 127.0.0.1.
    const d = devices[0];
    const packet = mqttPacket.generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 30,
      clientId: d.mqtt.clientId,
      username: d.mqtt.username,
      password: Buffer.from('not-the-secret'),
    });
    const refused = await new Promise<number>((resolve, reject) => {
      const s = tcpConnect({ host: '127.0.0.1', port: proxyMqtt, localAddress: '127.0.0.2' }, () => s.write(packet));
      s.once('data', (b: Buffer) => {
        s.destroy();
        resolve(b[3]); // CONNACK return code (MQTT 3.1.1 §3.2.2.3)
      });
      s.once('error', reject);
    });
    expect(refused).toBe(4); // bad user name or password
    const line = await waitFor(
      () =>
        hubs
          .flatMap((h) => h.logs().split('\n'))
          .find((l) => l.includes('mqtt login refused') && l.includes(d.mqtt.clientId)),
      { timeoutMs: 5000, what: 'the refusal in a hub log' },
    );
    expect(JSON.parse(line)).toMatchObject({ remoteAddress: '127.0.0.2', clientId: d.mqtt.clientId });
  });

  it('serves REST through the proxy from either node', async () => {
    const viaProxy = hubApi({ httpUrl: cluster.httpUrl, authHeader: hubs[0].authHeader });
    for (let i = 0; i < 4; i++) {
      const r = await viaProxy.get<{ id: string }>(`/api/devices/${devices[0].deviceId}`);
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(devices[0].deviceId);
    }
  });
});
