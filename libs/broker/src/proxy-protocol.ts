import type { Socket } from 'node:net';
import { protocolDecoder } from 'aedes-protocol-decoder';

/** PROXY protocol v2 signature (haproxy.org proxy-protocol.txt §2.2). */
const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
/** Fixed part (signature, version/command, family, length) before the addresses and TLVs. */
const FIXED_BYTES = 16;
/** HAProxy sends addresses and a few TLVs; anything far larger is not a proxy we configured. */
export const PROXY_V2_MAX_HEADER_BYTES = FIXED_BYTES + 1024;

export type ProxyHeader =
  /** A proxied connection: the client's own address. */
  | { command: 'proxy'; address: string; port: number }
  /** The proxy speaking for itself (health checks) or an address family it does not relay. */
  | { command: 'local' };

/**
 * Reads the PROXY v2 header a connection must start with when the listener sits behind HAProxy
 * (`send-proxy-v2`), and leaves the bytes after it (the MQTT CONNECT) unread on the socket.
 * Rejects a connection that does not start with one, sends a malformed or oversized one, or
 * does not finish it within `timeoutMs`: only the proxy may reach such a listener.
 */
export function readProxyV2Header(socket: Socket, timeoutMs: number): Promise<ProxyHeader> {
  return new Promise<ProxyHeader>((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error('no PROXY protocol header in time')), timeoutMs);
    const finish = (err: Error | null, header?: ProxyHeader) => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('error', onError);
      socket.off('end', onEnd);
      if (err) reject(err);
      else resolve(header!);
    };
    const onError = (err: Error) => finish(err);
    const onEnd = () => finish(new Error('connection closed inside the PROXY protocol header'));
    const onReadable = () => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
        buffered = Buffer.concat([buffered, chunk]);
        const n = Math.min(buffered.length, SIGNATURE.length);
        if (!buffered.subarray(0, n).equals(SIGNATURE.subarray(0, n))) {
          return finish(new Error('connection does not start with a PROXY protocol v2 header'));
        }
        if (buffered.length < FIXED_BYTES) continue;
        if (buffered[12] >> 4 !== 2) return finish(new Error(`PROXY protocol version ${buffered[12] >> 4}`));
        const length = FIXED_BYTES + buffered.readUInt16BE(14);
        if (length > PROXY_V2_MAX_HEADER_BYTES) return finish(new Error(`PROXY header of ${length} bytes`));
        if (buffered.length < length) continue;
        const header = buffered.subarray(0, length);
        const rest = buffered.subarray(length);
        // Hand the bytes after the header back before anything else reads the socket.
        if (rest.length) socket.unshift(rest);
        try {
          return finish(null, decode(socket, header));
        } catch (err) {
          return finish(err as Error);
        }
      }
    };
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('readable', onReadable);
  });
}

function decode(socket: Socket, header: Buffer): ProxyHeader {
  const command = header[12] & 0x0f;
  if (command === 0) return { command: 'local' };
  if (command !== 1) throw new Error(`PROXY protocol command ${command}`);
  const details = protocolDecoder(socket, header);
  // isProxy 2: an IPv4 or IPv6 source was decoded; UNSPEC or UNIX sources fall back to the socket.
  if (details.isProxy !== 2 || !details.ipAddress) return { command: 'local' };
  return { command: 'proxy', address: details.ipAddress, port: details.port };
}
