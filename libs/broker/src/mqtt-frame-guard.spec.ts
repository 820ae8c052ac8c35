import { PassThrough } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import { MqttFrameGuard, guardReads, type OversizeInfo } from './mqtt-frame-guard';

function publish(payloadBytes: number): Buffer {
  return mqttPacket.generate({
    cmd: 'publish',
    topic: 'a/b',
    payload: Buffer.alloc(payloadBytes, 1),
    qos: 0,
    retain: false,
    dup: false,
  });
}

function run(limit: number, chunks: Buffer[]): { out: Buffer; oversize: OversizeInfo[] } {
  const oversize: OversizeInfo[] = [];
  const guard = new MqttFrameGuard(limit, (o) => oversize.push(o));
  const parts = chunks.map((c) => guard.filter(c)).filter((c): c is Buffer => c !== null);
  return { out: Buffer.concat(parts), oversize };
}

describe('MqttFrameGuard', () => {
  it('passes packets under the limit unchanged, however they are split', () => {
    const stream = Buffer.concat([publish(10), publish(200), publish(1000)]);
    const chunks = [];
    for (let i = 0; i < stream.length; i += 7) chunks.push(stream.subarray(i, i + 7));
    const { out, oversize } = run(2000, chunks);
    expect(out.equals(stream)).toBe(true);
    expect(oversize).toEqual([]);
  });

  it('stops before an oversized packet and reports its declared size', () => {
    const small = publish(10);
    const big = publish(5000);
    const { out, oversize } = run(1024, [Buffer.concat([small, big.subarray(0, 100)]), big.subarray(100), publish(1)]);
    expect(out.equals(small)).toBe(true);
    expect(oversize).toEqual([{ packetType: 3, size: big.length, limit: 1024 }]);
  });

  it('detects an oversized header split across chunks (multi-byte remaining length)', () => {
    const big = publish(300_000); // remaining length takes three bytes
    const { out, oversize } = run(65_536, [big.subarray(0, 2), big.subarray(2, 3), big.subarray(3, 50)]);
    expect(oversize).toHaveLength(1);
    expect(oversize[0].size).toBe(big.length);
    expect(out.length).toBeLessThan(4); // only the header bytes seen before the length was known
  });
});

describe('guardReads', () => {
  it('filters what a reader pulls with read() and drops everything after an oversized packet', async () => {
    const conn = new PassThrough();
    const oversize: OversizeInfo[] = [];
    guardReads(conn, new MqttFrameGuard(1024, (o) => oversize.push(o)));
    const small = publish(10);
    const got: Buffer[] = [];
    conn.on('readable', () => {
      for (let c = conn.read() as Buffer | null; c !== null; c = conn.read() as Buffer | null) got.push(c);
    });
    conn.write(small);
    await new Promise((r) => setImmediate(r));
    conn.write(publish(5000));
    await new Promise((r) => setImmediate(r));
    conn.write(publish(1));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(got).equals(small)).toBe(true);
    expect(oversize).toHaveLength(1);
    expect(conn.readableLength).toBe(0); // refused bytes are consumed, not left to pile up
  });
});

describe('MqttFrameGuard pre-CONNECT budget', () => {
  const connect = (passwordBytes: number) =>
    mqttPacket.generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: 'dev-1',
      keepalive: 30,
      username: 'dev-1',
      password: Buffer.alloc(passwordBytes, 0x61),
    });

  it('holds the first packet to the smaller budget and later ones to the packet limit', () => {
    const oversize: OversizeInfo[] = [];
    const guard = new MqttFrameGuard(8192, (o) => oversize.push(o), 1024);
    const first = connect(100);
    expect(guard.filter(Buffer.concat([first, publish(4000)]))?.length).toBe(first.length + publish(4000).length);
    expect(oversize).toEqual([]);
  });

  it('refuses a first packet over the budget from its header alone', () => {
    const oversize: OversizeInfo[] = [];
    const guard = new MqttFrameGuard(8192, (o) => oversize.push(o), 1024);
    expect(guard.filter(connect(2000).subarray(0, 4))).toBeNull();
    expect(oversize).toEqual([expect.objectContaining({ packetType: 1, limit: 1024 })]);
  });
});
