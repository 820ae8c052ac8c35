import { mkdirSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CursorFile } from './spool-cursor';
import { checksum, encodeRecord, HEADER, parseHeader, segmentName } from './spool-record';
import { recoverSpool, type Segment, type SpoolLogger } from './spool-recovery';

export type { SpoolLogger };

export interface DiskSpoolOptions {
  dir: string;
  maxBytes: number;
  /** Size at which the writer starts a new segment; default min(16 MiB, maxBytes / 8). */
  segmentBytes?: number;
  logger: SpoolLogger;
}

export interface SpoolBatch {
  /** Lines joined with '\n', ready to POST. */
  body: string;
  lines: number;
  /** Opaque position for commit(). */
  position: { segment: number; start: number; end: number };
}

interface Pending {
  record: Buffer;
  lines: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A bounded, append-only, on-disk FIFO of line-protocol batches: the spool that keeps telemetry
 * while InfluxDB is unreachable.
 *
 * Layout: `<dir>/seg-<16 digit id>.log` segment files, written in id order, plus `cursor.json`
 * (the replay position in the oldest segment, CursorFile). A segment is a sequence of records
 * (spool-record.ts), indexed and repaired at start (recoverSpool). Appends are queued and written as one
 * group with one fdatasync per segment touched (group commit); `append()` resolves after the
 * fsync. Replay reads records oldest first (`peek`) and advances the cursor once InfluxDB has
 * taken them (`commit`); fully replayed segments are deleted. The cursor is written without
 * fsync: after a power cut a few batches may be sent again, which InfluxDB absorbs (a point with
 * the same series and timestamp overwrites itself).
 *
 * The bound: when an append would take the files past `maxBytes`, the oldest segments are
 * deleted first (newest data wins) and their unsent lines are counted in `dropped`.
 */
export class DiskSpool {
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly logger: SpoolLogger;
  private readonly cursor: CursorFile;

  /** Oldest first. The last one may be the active (append) segment. */
  private segments: Segment[] = [];
  private nextId = 1;
  private active: { seg: Segment; fh: FileHandle } | null = null;
  /** Replay position in segments[0]. */
  private headOffset = 0;
  private headLinesConsumed = 0;
  private headAppendedAt = 0;
  private reader: { id: number; fh: FileHandle } | null = null;

  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private pendingLines = 0;
  private closed = false;

  /** Lines deleted unsent because of the bound (or found corrupt). */
  dropped = 0;

  constructor(opts: DiskSpoolOptions) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
    this.segmentBytes = Math.max(256, opts.segmentBytes ?? Math.min(16 * 1024 * 1024, Math.floor(opts.maxBytes / 8)));
    this.logger = opts.logger;
    mkdirSync(this.dir, { recursive: true });
    this.cursor = new CursorFile(this.dir, (m) => this.logger.warn(m));
    const recovered = recoverSpool(this.dir, this.cursor, this.logger);
    this.segments = recovered.segments;
    this.nextId = recovered.nextId;
    this.headOffset = recovered.head.offset;
    this.headLinesConsumed = recovered.head.linesConsumed;
    this.headAppendedAt = recovered.head.appendedAt;
  }

  /** Lines in the spool not yet replayed (durable ones plus appends in progress). */
  get depthPoints(): number {
    return this.durableDepth + this.pendingLines;
  }

  /** Bytes the segment files take on disk. */
  get bytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Age of the oldest line not yet replayed, ms (0 when empty). */
  oldestAgeMs(now = Date.now()): number {
    for (const [i, s] of this.segments.entries()) {
      if (i === 0) {
        if (this.headOffset < s.size)
          return Math.max(0, now - (this.headOffset > 0 ? this.headAppendedAt : s.firstAppendedAt));
      } else if (s.size > 0) {
        return Math.max(0, now - s.firstAppendedAt);
      }
    }
    return 0;
  }

  /** True when nothing is stored and nothing is being appended. */
  get isEmpty(): boolean {
    return this.depthPoints === 0;
  }

  private get durableDepth(): number {
    let n = 0;
    for (const s of this.segments) n += s.lines;
    return n - this.headLinesConsumed;
  }

  /** Appends one batch; resolves once it is fsynced (grouped with concurrent appends). */
  append(lines: string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('spool is closed'));
    if (lines.length === 0) return Promise.resolve();
    const record = encodeRecord(lines.join('\n'), lines.length, Date.now());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, lines: lines.length, resolve, reject });
      this.pendingLines += lines.length;
      if (!this.writing) this.writing = this.drainQueue().finally(() => (this.writing = null));
    });
  }

  get appending(): boolean {
    return this.writing !== null;
  }

  /** Waits for the appends queued so far. */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue.splice(0);
      try {
        await this.writeGroup(items);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        this.logger.error(`spool append failed: ${e.message}`);
        for (const it of items) {
          this.pendingLines -= it.lines;
          it.reject(e);
        }
      }
    }
  }

  private async writeGroup(items: Pending[]): Promise<void> {
    let group: Pending[] = [];
    let groupBytes = 0;
    const flushGroup = async () => {
      if (group.length === 0) return;
      const act = this.active!;
      const bufs = group.map((g) => g.record);
      let written = 0;
      try {
        while (written < groupBytes) {
          const { bytesWritten } = await act.fh.writev(
            written === 0 ? bufs : [Buffer.concat(bufs).subarray(written)],
            act.seg.size + written,
          );
          written += bytesWritten;
        }
        await act.fh.datasync();
      } catch (err) {
        await act.fh.truncate(act.seg.size).catch(() => undefined);
        throw err;
      }
      if (act.seg.size === 0) act.seg.firstAppendedAt = group[0].record.readDoubleLE(16);
      act.seg.size += groupBytes;
      for (const g of group) {
        act.seg.lines += g.lines;
        this.pendingLines -= g.lines;
      }
      const done = group;
      group = [];
      groupBytes = 0;
      for (const g of done) g.resolve();
    };

    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      const len = it.record.length;
      if (len > this.maxBytes) {
        this.pendingLines -= it.lines;
        this.dropped += it.lines;
        this.logger.warn(
          `spool: a batch of ${it.lines} lines (${len} bytes) exceeds INFLUX_SPOOL_MAX_BYTES=${this.maxBytes}; dropped`,
        );
        it.resolve();
        continue;
      }
      while (this.bytes + groupBytes + len > this.maxBytes) {
        if (group.length > 0) await flushGroup();
        else this.dropOldestSegment();
      }
      if (
        !this.active ||
        (this.active.seg.size + groupBytes > 0 && this.active.seg.size + groupBytes + len > this.segmentBytes)
      ) {
        await flushGroup();
        await this.rotate();
      }
      group.push(it);
      groupBytes += len;
    }
    await flushGroup();
  }

  private async rotate(): Promise<void> {
    if (this.active) {
      await this.active.fh.close();
      this.active = null;
    }
    const id = this.nextId++;
    const path = join(this.dir, segmentName(id));
    const fh = await open(path, 'wx');
    const seg: Segment = { id, path, size: 0, lines: 0, firstAppendedAt: Date.now() };
    this.segments.push(seg);
    this.active = { seg, fh };
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  /** Deletes segments[0] to make room; its unsent lines are counted and logged. */
  private dropOldestSegment(): void {
    const head = this.segments[0];
    if (!head) throw new Error('spool: nothing left to drop');
    const lost = head.lines - this.headLinesConsumed;
    this.removeHead();
    if (lost > 0) {
      this.dropped += lost;
      this.logger.warn(
        `spool full (INFLUX_SPOOL_MAX_BYTES=${this.maxBytes}): dropped ${lost} oldest lines (segment ${head.id}); ${this.dropped} dropped in total`,
      );
    }
  }

  private removeHead(): void {
    const head = this.segments.shift();
    if (!head) return;
    if (this.active?.seg === head) {
      // Only called between groups, so nothing is in flight on this handle.
      const fh = this.active.fh;
      this.active = null;
      void fh.close().catch(() => undefined);
    }
    if (this.reader?.id === head.id) {
      const fh = this.reader.fh;
      this.reader = null;
      void fh.close().catch(() => undefined);
    }
    rmSync(head.path, { force: true });
    this.headOffset = 0;
    this.headLinesConsumed = 0;
    this.headAppendedAt = 0;
  }

  /**
   * The oldest unsent records of one segment, up to about `maxLines` lines (at least one
   * record), or null when there is nothing durable to send.
   */
  async peek(maxLines: number): Promise<SpoolBatch | null> {
    for (;;) {
      const head = this.segments[0];
      if (!head) return null;
      if (this.headOffset >= head.size) {
        if (this.active?.seg === head) {
          if (!this.writing && head.size > 0) this.removeHead(); // retire a fully sent active segment
          return null;
        }
        this.removeHead();
        await this.writeCursor();
        continue;
      }
      if (!this.reader || this.reader.id !== head.id) {
        if (this.reader) await this.reader.fh.close().catch(() => undefined);
        this.reader = { id: head.id, fh: await open(head.path, 'r') };
      }
      const fh = this.reader.fh;
      const bodies: string[] = [];
      let lines = 0;
      let pos = this.headOffset;
      const hdr = Buffer.allocUnsafe(HEADER);
      while (pos < head.size && lines < maxLines) {
        await fh.read(hdr, 0, HEADER, pos);
        const h = parseHeader(hdr);
        const rec = h && pos + HEADER + h.length <= head.size ? Buffer.allocUnsafe(HEADER + h.length) : null;
        if (h && rec) {
          hdr.copy(rec, 0);
          await fh.read(rec, HEADER, h.length, pos + HEADER);
        }
        if (!h || !rec || checksum(rec, h.length) !== h.crc) {
          if (bodies.length > 0) break; // send what is good first
          const lost = head.lines - this.headLinesConsumed;
          this.dropped += lost;
          this.logger.error(`spool: segment ${head.id} is corrupt at offset ${pos}; ${lost} lines dropped`);
          if (this.active?.seg === head) this.active = null;
          this.removeHead();
          await this.writeCursor();
          break;
        }
        bodies.push(rec.subarray(HEADER).toString('utf8'));
        lines += h.lines;
        pos += HEADER + h.length;
      }
      if (bodies.length === 0) continue;
      return { body: bodies.join('\n'), lines, position: { segment: head.id, start: this.headOffset, end: pos } };
    }
  }

  /** Marks a peeked batch as delivered (or deliberately rejected). */
  async commit(batch: SpoolBatch): Promise<void> {
    const head = this.segments[0];
    if (!head || head.id !== batch.position.segment || this.headOffset !== batch.position.start) return; // dropped meanwhile
    this.headOffset = batch.position.end;
    this.headLinesConsumed += batch.lines;
    if (this.headOffset >= head.size) {
      if (this.active?.seg !== head) {
        this.removeHead();
      } else if (!this.writing) {
        this.removeHead();
      }
    } else if (this.reader?.id === head.id) {
      const hdr = Buffer.allocUnsafe(HEADER);
      await this.reader.fh.read(hdr, 0, HEADER, this.headOffset);
      this.headAppendedAt = parseHeader(hdr)?.appendedAt ?? Date.now();
    }
    await this.writeCursor();
  }

  private writeCursor(): Promise<void> {
    const head = this.segments[0];
    return this.cursor.write({ segment: head?.id ?? 0, offset: head ? this.headOffset : 0 });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    await this.cursor.settled();
    if (this.active) {
      await this.active.fh.close().catch(() => undefined);
      // An empty active segment is just clutter.
      if (this.active.seg.size === 0) {
        rmSync(this.active.seg.path, { force: true });
        this.segments = this.segments.filter((s) => s !== this.active!.seg);
      }
      this.active = null;
    }
    if (this.reader) {
      await this.reader.fh.close().catch(() => undefined);
      this.reader = null;
    }
  }
}
