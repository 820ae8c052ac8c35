import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { acksTopic, credentialsFor, errorsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import { ConnackError } from '../mqtt/device-client';
import { LoadDeviceConnection } from './load-device-connection';

const DEVICE = 'dev-load-1';

/** A real aedes broker on a loopback port: one password, and a hook to hold PUBACKs back. */
async function startBroker(password: string) {
  const published: PublishPacket[] = [];
  const wills: PublishPacket[] = [];
  let holdPublishes = false;
  const held: (() => void)[] = [];
  const aedes = await Aedes.createBroker({
    authenticate: (_client, _username, pw, done) => {
      if (pw?.toString() === password) return done(null, true);
      const err = new Error('bad credentials') as AuthenticateError;
      err.returnCode = 4;
      done(err, false);
    },
    authorizePublish: (client: Client | null, packet, done) => {
      if (!client) return done(null); // the broker's own publishes (wills, downlinks)
      published.push(packet);
      if (holdPublishes) held.push(() => done(null));
      else done(null);
    },
  });
  const subscribed: string[] = [];
  const acked: string[] = [];
  aedes.on('subscribe', (subs) => subscribed.push(...subs.map((x) => x.topic)));
  aedes.on('ack', (_packet, client) => acked.push(client.id)); // on a device's PUBACK
  // Devices under test never publish status themselves: a status publish is their Last Will.
  aedes.on('publish', (packet) => {
    if (packet.topic === statusTopic(DEVICE)) wills.push(packet);
  });
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    aedes,
    url,
    published,
    wills,
    held,
    subscribed,
    acked,
    hold: (on: boolean) => (holdPublishes = on),
    clientOf: (id: string) => (aedes as unknown as { clients: Record<string, Client> }).clients[id],
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('LoadDeviceConnection (real aedes over TCP)', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  const creds = credentialsFor(DEVICE, 'right-secret');

  beforeEach(async () => {
    broker = await startBroker('right-secret');
  });
  afterEach(async () => {
    await broker.close();
  });

  it('connects with the device credentials and Last Will, subscribes its downlinks, and settles QoS 1 publishes on PUBACK', async () => {
    const c = new LoadDeviceConnection(creds, 'mattress', { mqttUrl: broker.url });
    await c.connect();
    await c.subscribeDownlinks();
    const client = broker.clientOf(creds.mqtt.clientId);
    expect(client).toBeDefined();
    expect((client as unknown as { will?: { topic: string } }).will?.topic).toBe(creds.mqtt.lastWill.topic);
    expect(broker.subscribed.sort()).toEqual([acksTopic(c.deviceId), errorsTopic(c.deviceId)].sort());

    await c.publishRaw(telemetryTopic(c.deviceId), '{"seq":1}', 1);
    await c.publishRaw(telemetryTopic(c.deviceId), '{"seq":2}', 0);
    await until(() => broker.published.length === 2);
    expect(broker.published.map((p) => [p.topic, p.qos, p.payload.toString()])).toEqual([
      [telemetryTopic(c.deviceId), 1, '{"seq":1}'],
      [telemetryTopic(c.deviceId), 0, '{"seq":2}'],
    ]);
    expect(c.counters).toMatchObject({ sent: 2, acked: 1, failed: 0 });
    await c.end();
  });

  it('rejects a wrong password with the CONNACK return code', async () => {
    const c = new LoadDeviceConnection(credentialsFor(DEVICE, 'wrong'), 'mattress', { mqttUrl: broker.url });
    const err = await c.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnackError);
    expect((err as ConnackError).returnCode).toBe(4);
  });

  it('acknowledges a QoS 1 downlink and counts hub errors', async () => {
    const c = new LoadDeviceConnection(creds, 'mattress', { mqttUrl: broker.url });
    await c.connect();
    await c.subscribeDownlinks();
    broker.aedes.publish(
      {
        cmd: 'publish',
        topic: errorsTopic(c.deviceId),
        payload: Buffer.from('{"code":"VALIDATION_FAILED"}'),
        qos: 1,
        retain: false,
        dup: false,
      },
      () => undefined,
    );
    await until(() => c.counters.errors === 1);
    // aedes emits 'ack' when the device's PUBACK settles the delivery (MQTT 3.1.1 §4.3.2).
    await until(() => broker.acked.length === 1);
    expect(broker.acked).toEqual([creds.mqtt.clientId]);
    await c.end();
  });

  it('fails publishes in flight when the connection drops, and the broker sends the Last Will', async () => {
    const c = new LoadDeviceConnection(creds, 'mattress', { mqttUrl: broker.url });
    await c.connect();
    broker.hold(true);
    const inFlight = c.publishRaw(telemetryTopic(c.deviceId), '{"seq":1}', 1);
    await until(() => broker.held.length === 1);
    broker.hold(false); // the held publish is never acknowledged; the Last Will passes
    broker.clientOf(creds.mqtt.clientId).close();
    await expect(inFlight).rejects.toThrow(/connection closed/);
    await expect(c.publishRaw(telemetryTopic(c.deviceId), '{"seq":2}', 1)).rejects.toThrow(/connection closed/);
    expect(c.counters).toMatchObject({ sent: 2, acked: 0, failed: 2 });
    await until(() => broker.wills.length === 1);
    expect(broker.wills[0].payload.toString()).toBe(creds.mqtt.lastWill.payload);
  });

  it('ends with DISCONNECT, so the broker discards the Last Will (§3.14.4)', async () => {
    const c = new LoadDeviceConnection(creds, 'mattress', { mqttUrl: broker.url });
    await c.connect();
    await c.end();
    await until(() => broker.clientOf(creds.mqtt.clientId) === undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(broker.wills).toHaveLength(0);
  });
});
