import type { Readable } from 'node:stream';
import type { UplinkSkim } from './uplink-skim';

export interface OversizeInfo {
  /** MQTT control packet type (3 = PUBLISH, 1 = CONNECT; MQTT 3.1.1 §2.2.1). */
  packetType: number;
  /** Declared size of the whole packet, bytes. */
  size: number;
  limit: number;
}

/**
 * Reads only MQTT fixed headers (MQTT 3.1.1 §2.2) of what a connection sends: the "Remaining
 * Length" tells a packet's size before its body arrives, so an oversized packet is refused
 * before its body is buffered. aedes 1.x itself would buffer any packet up to the protocol's
 * 256 MB. After an oversized header nothing more is passed on; `onOversize` hears of it and
 * closes the connection (MQTT 3.1.1 has no reason code to send).
 */
export class MqttFrameGuard {
  private bodyLeft = 0;
  private header: number[] = [];
  private blocked = false;
  private first = true;

  /**
   * `firstLimit`: the pre-CONNECT budget. The first packet must be the CONNECT (MQTT 3.1.1
   * §3.1.0-1, aedes closes otherwise), and a CONNECT is small, so an unauthenticated peer may
   * make the hub buffer only this much.
   */
  constructor(
    private readonly limit: number,
    private readonly onOversize: (info: OversizeInfo) => void,
    private readonly firstLimit = limit,
  ) {}

  /** What of `chunk` may reach the MQTT parser: all of it, the part before an oversized packet, or nothing (null). */
  filter(chunk: Buffer): Buffer | null {
    if (this.blocked) return null;
    let i = 0;
    let packetStart = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        i += n;
        this.bodyLeft -= n;
        continue;
      }
      if (this.header.length === 0) packetStart = i;
      const byte = chunk[i++];
      this.header.push(byte);
      if (this.header.length === 1) continue;
      if (byte & 0x80) {
        // Remaining Length takes at most four bytes (§2.2.3); aedes' parser reports the error.
        if (this.header.length > 5) return this.block(chunk.subarray(0, i));
        continue;
      }
      let remaining = 0;
      for (let k = this.header.length - 1; k >= 1; k--) remaining = remaining * 128 + (this.header[k] & 0x7f);
      const size = this.header.length + remaining;
      const packetType = this.header[0] >> 4;
      this.header = [];
      const limit = this.first ? Math.min(this.limit, this.firstLimit) : this.limit;
      this.first = false;
      if (size > limit) {
        this.onOversize({ packetType, size, limit });
        return this.block(chunk.subarray(0, packetStart));
      }
      this.bodyLeft = remaining;
    }
    return chunk;
  }

  private block(passOn: Buffer): Buffer | null {
    this.blocked = true;
    return passOn.length ? passOn : null;
  }
}

/**
 * Puts the guard (and the skim of an over-quota device's flood, see UplinkSkim) on a
 * connection's reads. aedes pulls with `conn.read()` on 'readable'
 * (lib/client.js), so the guard filters what read() returns; data it refuses is consumed and
 * dropped. Wrapping the connection in a Transform + Duplex.from did the same and cost ~20 µs
 * per message at QoS 1 (every read and every PUBACK write crossed two extra streams; measured
 * with the bench at 5,000 beds), about a fifth of the hub's CPU per message.
 */
export function guardReads(conn: Readable, guard: MqttFrameGuard, skim?: UplinkSkim): void {
  const read = conn.read.bind(conn);
  conn.read = function guardedRead(size?: number) {
    // On hold: nothing is taken from the connection, so it fills and TCP holds the sender back.
    if (skim?.holding) return null;
    const chunk = read(size) as Buffer | null;
    const passed = chunk === null ? null : guard.filter(chunk);
    return passed === null || !skim ? passed : skim.filter(passed);
  };
}
