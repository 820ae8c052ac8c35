import mqttPacket from 'mqtt-packet';
import { MqttFrameGuard, type OversizeInfo } from './mqtt-frame-guard';

function publish(payloadBytes: number): Buffer {
  return mqttPacket.generate({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(payloadBytes, 1), qos: 0, retain: false, dup: false });
}

async function run(limit: number, chunks: Buffer[]): Promise<{ out: Buffer; oversize: OversizeInfo[] }> {
  const guard = new MqttFrameGuard(limit);
  const parts: Buffer[] = [];
  const oversize: OversizeInfo[] = [];
  guard.on('data', (d: Buffer) => parts.push(d));
  guard.on('oversize', (o: OversizeInfo) => oversize.push(o));
  for (const c of chunks) guard.write(c);
  guard.end();
  await new Promise((r) => guard.on('end', r));
  return { out: Buffer.concat(parts), oversize };
}

describe('MqttFrameGuard', () => {
  it('passes packets under the limit unchanged, however they are split', async () => {
    const stream = Buffer.concat([publish(10), publish(200), publish(1000)]);
    const chunks = [];
    for (let i = 0; i < stream.length; i += 7) chunks.push(stream.subarray(i, i + 7));
    const { out, oversize } = await run(2000, chunks);
    expect(out.equals(stream)).toBe(true);
    expect(oversize).toEqual([]);
  });

  it('stops before an oversized packet and reports its declared size', async () => {
    const small = publish(10);
    const big = publish(5000);
    const { out, oversize } = await run(1024, [Buffer.concat([small, big.subarray(0, 100)]), big.subarray(100)]);
    expect(out.equals(small)).toBe(true);
    expect(oversize).toEqual([{ packetType: 3, size: big.length, limit: 1024 }]);
  });

  it('detects an oversized header split across chunks (multi-byte remaining length)', async () => {
    const big = publish(300_000); // remaining length takes three bytes
    const { out, oversize } = await run(65_536, [big.subarray(0, 2), big.subarray(2, 3), big.subarray(3, 50)]);
    expect(oversize).toHaveLength(1);
    expect(oversize[0].size).toBe(big.length);
    expect(out.length).toBeLessThan(4); // only the header bytes seen before the length was known
  });
});
