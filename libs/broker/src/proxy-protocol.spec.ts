import { connect, createServer, type Server, type Socket } from 'node:net';
import { readProxyV2Header } from './proxy-protocol';

const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A PROXY v2 header for TCP over IPv4 (proxy-protocol.txt §2.2), optionally with a TLV. */
function v2Ipv4(src: string, srcPort: number, dst: string, dstPort: number, tlv = Buffer.alloc(0)): Buffer {
  const addr = Buffer.alloc(12);
  src.split('.').forEach((o, i) => (addr[i] = Number(o)));
  dst.split('.').forEach((o, i) => (addr[4 + i] = Number(o)));
  addr.writeUInt16BE(srcPort, 8);
  addr.writeUInt16BE(dstPort, 10);
  const fixed = Buffer.from([0x21, 0x11, 0, 0]);
  fixed.writeUInt16BE(addr.length + tlv.length, 2);
  return Buffer.concat([SIGNATURE, fixed, addr, tlv]);
}

describe('readProxyV2Header', () => {
  let server: Server;
  let port: number;
  let accepted: (s: Socket) => void;

  beforeAll(async () => {
    server = createServer((s) => accepted(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Sends `parts` (with a pause between them) and answers what the server side read. */
  const exchange = async (parts: Buffer[], timeoutMs = 1000) => {
    const socketP = new Promise<Socket>((r) => (accepted = r));
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    const socket = await socketP;
    const header = readProxyV2Header(socket, timeoutMs).then(
      (h) => ({ ok: true as const, h }),
      (err: Error) => ({ ok: false as const, err }),
    );
    for (const p of parts) {
      client.write(p);
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await header;
    const rest = await new Promise<Buffer>((r) => {
      const got = socket.read() as Buffer | null;
      if (got) return r(got);
      socket.once('readable', () => r((socket.read() as Buffer | null) ?? Buffer.alloc(0)));
      setTimeout(() => r(Buffer.alloc(0)), 100);
    });
    client.destroy();
    socket.destroy();
    return { result, rest };
  };

  it('yields the client address and leaves the MQTT bytes after the header on the socket', async () => {
    const connectPacket = Buffer.from([0x10, 0x02, 0x00, 0x04]);
    const { result, rest } = await exchange([
      Buffer.concat([v2Ipv4('203.0.113.7', 40123, '10.0.0.2', 1883), connectPacket]),
    ]);
    expect(result).toEqual({ ok: true, h: { command: 'proxy', address: '203.0.113.7', port: 40123 } });
    expect(rest).toEqual(connectPacket);
  });

  it('waits for a header split over several segments, TLVs included', async () => {
    const tlv = Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]); // PP2_TYPE_NOOP with 3 bytes
    const h = v2Ipv4('198.51.100.9', 5000, '10.0.0.2', 1883, tlv);
    const { result, rest } = await exchange([h.subarray(0, 5), h.subarray(5, 17), h.subarray(17), Buffer.from([0x10])]);
    expect(result).toEqual({ ok: true, h: { command: 'proxy', address: '198.51.100.9', port: 5000 } });
    expect(rest).toEqual(Buffer.from([0x10]));
  });

  it('treats LOCAL (the proxy itself) as such', async () => {
    const local = Buffer.concat([SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
    const { result } = await exchange([local]);
    expect(result).toEqual({ ok: true, h: { command: 'local' } });
  });

  it('refuses a connection without the header, an oversized header and one that never finishes', async () => {
    const refusal = async (parts: Buffer[], timeoutMs?: number) => {
      const { result } = await exchange(parts, timeoutMs);
      return result.ok ? 'accepted' : result.err.message;
    };
    expect(await refusal([Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54])])).toMatch(/does not start/);
    expect(await refusal([Buffer.concat([SIGNATURE, Buffer.from([0x21, 0x11, 0xff, 0xff])])])).toMatch(/65551 bytes/);
    expect(await refusal([SIGNATURE.subarray(0, 8)], 200)).toMatch(/in time/);
    expect(await refusal([Buffer.concat([SIGNATURE, Buffer.from([0x1f, 0x11, 0x00, 0x00])])])).toMatch(/version 1/);
  });
});
