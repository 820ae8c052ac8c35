import { Transform, type TransformCallback } from 'node:stream';

export interface OversizeInfo {
  /** MQTT control packet type (3 = PUBLISH, 1 = CONNECT; MQTT 3.1.1 §2.2.1). */
  packetType: number;
  /** Declared size of the whole packet, bytes. */
  size: number;
  limit: number;
}

/**
 * Sits between the socket and aedes and reads only MQTT fixed headers (MQTT 3.1.1 §2.2): the
 * "Remaining Length" tells a packet's size before its body arrives, so an oversized packet is
 * refused before a single byte of it is buffered. aedes 1.x itself would buffer any packet up
 * to the protocol's 256 MB. After an oversized header nothing more is passed on; the owner
 * hears 'oversize' and closes the connection (MQTT 3.1.1 has no reason code to send).
 */
export class MqttFrameGuard extends Transform {
  private bodyLeft = 0;
  private header: number[] = [];
  private blocked = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.blocked) return done();
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
        if (this.header.length > 5) return this.block(chunk.subarray(0, i), done);
        continue;
      }
      let remaining = 0;
      for (let k = this.header.length - 1; k >= 1; k--) remaining = remaining * 128 + (this.header[k] & 0x7f);
      const size = this.header.length + remaining;
      const packetType = this.header[0] >> 4;
      this.header = [];
      if (size > this.limit) {
        this.emit('oversize', { packetType, size, limit: this.limit } satisfies OversizeInfo);
        return this.block(chunk.subarray(0, packetStart), done);
      }
      this.bodyLeft = remaining;
    }
    this.push(chunk);
    done();
  }

  private block(passOn: Buffer, done: TransformCallback): void {
    this.blocked = true;
    if (passOn.length) this.push(passOn);
    done();
  }
}
