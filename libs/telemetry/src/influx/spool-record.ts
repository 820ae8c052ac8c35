import { crc32 } from 'node:zlib';

/**
 * The spool's on-disk record: a segment file is a sequence of
 *
 *   magic u32 | payload length u32 | line count u32 | crc32 u32 | appended at f64 (ms) | payload
 *
 * where the payload is a batch's lines joined with '\n'. The crc covers the line count, the
 * append instant and the payload.
 */
const MAGIC = 0xbed5_0001;
export const HEADER = 24;
export const SEGMENT_RE = /^seg-(\d{16})\.log$/;

export function segmentName(id: number): string {
  return `seg-${String(id).padStart(16, '0')}.log`;
}

export function encodeRecord(body: string, lines: number, appendedAt: number): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const rec = Buffer.allocUnsafe(HEADER + payload.length);
  rec.writeUInt32LE(MAGIC, 0);
  rec.writeUInt32LE(payload.length, 4);
  rec.writeUInt32LE(lines, 8);
  rec.writeDoubleLE(appendedAt, 16);
  payload.copy(rec, HEADER);
  rec.writeUInt32LE(checksum(rec, payload.length), 12);
  return rec;
}

export function checksum(rec: Buffer, payloadLength: number): number {
  let c = crc32(rec.subarray(8, 12));
  c = crc32(rec.subarray(16, HEADER), c);
  return crc32(rec.subarray(HEADER, HEADER + payloadLength), c);
}

export interface Header {
  length: number;
  lines: number;
  crc: number;
  appendedAt: number;
}

export function parseHeader(buf: Buffer): Header | null {
  if (buf.length < HEADER || buf.readUInt32LE(0) !== MAGIC) return null;
  return {
    length: buf.readUInt32LE(4),
    lines: buf.readUInt32LE(8),
    crc: buf.readUInt32LE(12),
    appendedAt: buf.readDoubleLE(16),
  };
}
