import type { Writable } from 'node:stream';

/**
 * Bounds what the hub holds for one connection that is not reading: after every write, if the
 * connection's unsent bytes exceed `limit`, `onExceeded` runs once (the caller drops that
 * connection). aedes writes with `conn.write` (mqtt-packet's writeToStream), so checking there
 * sees every downlink, echo and PUBACK without wrapping the stream in another one.
 */
export function boundWrites(conn: Writable, limit: number, onExceeded: (buffered: number) => void): void {
  const write = conn.write.bind(conn) as (...args: Parameters<Writable['write']>) => boolean;
  let tripped = false;
  conn.write = function boundedWrite(this: Writable, ...args: Parameters<Writable['write']>) {
    const ok = write(...args);
    if (!ok && !tripped && this.writableLength > limit) {
      tripped = true;
      onExceeded(this.writableLength);
    }
    return ok;
  } as Writable['write'];
}
