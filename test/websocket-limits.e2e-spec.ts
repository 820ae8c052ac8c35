import { connect as tcpConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { freePort, hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';
import { rawConnection, type RawTransport } from './raw-mqtt';

/**
 * MQTT over WebSocket has the limits TCP has: no frame or message larger than the packet limit
 * is buffered, a first packet larger than the CONNECT budget is refused from its header, and a
 * connection that never sends CONNECT is closed after the connect timeout.
 */
let hub: HubProcess;
let wsPort: number;

beforeAll(async () => {
  wsPort = await freePort();
  hub = await startHub({
    MQTT_WS_PORT: String(wsPort),
    MQTT_CONNECT_TIMEOUT_MS: '1500',
    MQTT_MAX_CONNECT_BYTES: '1024',
  });
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

const rss = async () => {
  const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith('bedside_process_resident_memory_bytes '))!
      .split(' ')[1],
  );
};

/** A WebSocket upgraded by hand, so frames can announce any length (RFC 6455 §5.2). */
async function upgradedSocket(): Promise<Socket> {
  const socket = tcpConnect(wsPort, '127.0.0.1');
  await new Promise((r, j) => socket.once('connect', r).once('error', j));
  socket.on('error', () => undefined);
  socket.write(
    `GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) =>
    socket.once('data', (d) => (d.toString().startsWith('HTTP/1.1 101') ? resolve() : reject(new Error(d.toString())))),
  );
  return socket;
}

function frameHeader(length: number): Buffer {
  const h = Buffer.alloc(14);
  h[0] = 0x82; // FIN, binary
  h[1] = 0x80 | 127; // masked, 64-bit length
  h.writeBigUInt64BE(BigInt(length), 2);
  randomBytes(4).copy(h, 10);
  return h;
}

it('unauthenticated sockets announcing 64 MiB frames are closed from the frame header, and the hub does not grow', async () => {
  const before = await rss();
  const sockets = await Promise.all([0, 1, 2].map(() => upgradedSocket()));
  const closedAt = sockets.map((s) => new Promise<number>((r) => s.once('close', () => r(Date.now()))));
  const start = Date.now();
  let sent = 0;
  for (const s of sockets) s.write(frameHeader(64 * 1024 * 1024));
  const chunk = Buffer.alloc(256 * 1024);
  while (sent < 16 * 1024 * 1024 && sockets.some((s) => !s.destroyed)) {
    for (const s of sockets) if (!s.destroyed) s.write(chunk);
    sent += chunk.length;
    await new Promise((r) => setTimeout(r, 5));
  }
  const times = await Promise.all(closedAt);
  expect(Math.max(...times) - start).toBeLessThan(1000);
  expect((await rss()) - before).toBeLessThan(32 * 1024 * 1024);
});

it.each<RawTransport>(['tcp', 'ws'])(
  'over %s, a connection that never sends CONNECT is closed after the connect timeout',
  async (transport) => {
    const raw = await rawConnection(transport, transport === 'tcp' ? hub.mqttPort : wsPort);
    const start = Date.now();
    await raw.closed;
    expect(Date.now() - start).toBeGreaterThan(1000);
    expect(Date.now() - start).toBeLessThan(4000);
  },
);

it.each<RawTransport>(['tcp', 'ws'])(
  'over %s, a first packet over the CONNECT budget is refused from its header, no CONNACK',
  async (transport) => {
    const raw = await rawConnection(transport, transport === 'tcp' ? hub.mqttPort : wsPort);
    // Only the fixed header of a 60 KiB CONNECT: the hub must not wait for the rest.
    const start = Date.now();
    raw.stream.write(Buffer.from([0x10, 0x80 | (60_000 & 0x7f), 0x80 | ((60_000 >> 7) & 0x7f), 60_000 >> 14]));
    await raw.closed;
    expect(Date.now() - start).toBeLessThan(1000); // not the connect timeout
    expect(raw.packets).toEqual([]);
  },
);

it('over ws, a device frame larger than the packet limit closes that connection; others carry on', async () => {
  const api = hubApi(hub);
  const { devices } = await api.provisionBed('ws-limits');
  const creds = devices.mattress.credentials as Creds;
  const other = devices.button.credentials as Creds;
  const url = `ws://127.0.0.1:${wsPort}/mqtt`;
  const bystander = await connectDevice(url, other);
  const client = await connectDevice(url, creds);
  const gone = new Promise<void>((r) => client.once('close', () => r()));
  client.publish(`bedside/v1/devices/${creds.deviceId}/telemetry`, Buffer.alloc(200 * 1024, 0x20), { qos: 1 });
  await gone;
  await bystander.publishAsync(
    `bedside/v1/devices/${other.deviceId}/telemetry`,
    JSON.stringify({ ts: Date.now(), seq: 1, samples: [{ battery: 80 }] }),
    { qos: 1 },
  );
  await waitFor(async () => (await api.get(`/api/devices/${other.deviceId}/telemetry`)).body.length === 1, {
    what: 'bystander telemetry stored',
  });
  await bystander.endAsync();
});
