import { closeSync, fstatSync, ftruncateSync, openSync, readdirSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CursorFile } from './spool-cursor';
import { checksum, HEADER, parseHeader, SEGMENT_RE, segmentName } from './spool-record';

export interface SpoolLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Segment {
  id: number;
  path: string;
  /** Durable (fsynced) bytes. */
  size: number;
  lines: number;
  firstAppendedAt: number;
}

/** What a previous run left: its segments oldest first and the replay position in the first. */
export interface RecoveredSpool {
  segments: Segment[];
  nextId: number;
  head: { offset: number; linesConsumed: number; appendedAt: number };
}

interface Scanned {
  size: number;
  lines: number;
  firstAppendedAt: number;
  truncatedBytes: number;
  boundaries: Map<number, { linesBefore: number; appendedAt: number }>;
}

/**
 * Indexes one segment's records. The last segment (`verify`) is read in full and cut at the
 * first torn or corrupt record (a crash mid-append); older ones are only walked by their headers
 * and cut where a header is unreadable (their records were fsynced whole).
 */
function scan(path: string, id: number, verify: boolean, logger: SpoolLogger): Scanned {
  const fd = openSync(path, 'r+');
  try {
    const fileSize = fstatSync(fd).size;
    const hdr = Buffer.allocUnsafe(HEADER);
    const boundaries = new Map<number, { linesBefore: number; appendedAt: number }>();
    let pos = 0;
    let lines = 0;
    let firstAppendedAt = 0;
    while (pos + HEADER <= fileSize) {
      readSync(fd, hdr, 0, HEADER, pos);
      const h = parseHeader(hdr);
      if (!h || pos + HEADER + h.length > fileSize) break;
      if (verify) {
        const rec = Buffer.allocUnsafe(HEADER + h.length);
        hdr.copy(rec, 0);
        readSync(fd, rec, HEADER, h.length, pos + HEADER);
        if (checksum(rec, h.length) !== h.crc) break;
      }
      if (pos === 0) firstAppendedAt = h.appendedAt;
      boundaries.set(pos, { linesBefore: lines, appendedAt: h.appendedAt });
      lines += h.lines;
      pos += HEADER + h.length;
    }
    if (pos < fileSize) {
      if (!verify) logger.error(`spool: segment ${id} has ${fileSize - pos} unreadable bytes at ${pos}; cut`);
      ftruncateSync(fd, pos);
    }
    return { size: pos, lines, firstAppendedAt, truncatedBytes: fileSize - pos, boundaries };
  } finally {
    closeSync(fd);
  }
}

/** Startup: index the segments left by a previous run, repair a torn tail, apply the cursor. */
export function recoverSpool(dir: string, cursorFile: CursorFile, logger: SpoolLogger): RecoveredSpool {
  const ids = readdirSync(dir)
    .map((f) => SEGMENT_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  for (const f of readdirSync(dir)) if (f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
  const cursor = cursorFile.read();
  const segments: Segment[] = [];
  const head = { offset: 0, linesConsumed: 0, appendedAt: 0 };
  let nextId = Math.max(1, cursor.segment + 1);
  let truncated = 0;
  for (const [i, id] of ids.entries()) {
    const path = join(dir, segmentName(id));
    nextId = Math.max(nextId, id + 1);
    if (id < cursor.segment) {
      unlinkSync(path); // fully replayed before the last stop
      continue;
    }
    const seg = scan(path, id, i === ids.length - 1, logger);
    truncated += seg.truncatedBytes;
    if (seg.size === 0) {
      unlinkSync(path);
      continue;
    }
    segments.push({ id, path, size: seg.size, lines: seg.lines, firstAppendedAt: seg.firstAppendedAt });
    if (id === cursor.segment && cursor.offset > 0) {
      const at =
        cursor.offset === seg.size ? { linesBefore: seg.lines, appendedAt: 0 } : seg.boundaries.get(cursor.offset);
      if (at) {
        head.offset = cursor.offset;
        head.linesConsumed = at.linesBefore;
        head.appendedAt = at.appendedAt;
      }
    }
  }
  // Fully consumed head (stopped right before deleting it).
  if (segments[0] && head.offset >= segments[0].size) {
    rmSync(segments[0].path, { force: true });
    segments.shift();
    head.offset = 0;
    head.linesConsumed = 0;
  }
  if (truncated > 0) logger.warn(`spool: cut ${truncated} bytes of a torn record at the end of the last segment`);
  if (segments.length > 0) {
    let lines = 0;
    let bytes = 0;
    for (const s of segments) {
      lines += s.lines;
      bytes += s.size;
    }
    logger.log(
      `spool: ${lines - head.linesConsumed} lines in ${segments.length} segment(s) (${bytes} bytes) left from a previous run; replaying`,
    );
  }
  return { segments, nextId, head };
}
