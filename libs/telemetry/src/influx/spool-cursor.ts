import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Replay position: the oldest segment's id and the byte offset of its next unsent record. */
export interface SpoolCursor {
  segment: number;
  offset: number;
}

/**
 * `cursor.json` in the spool folder, replaced atomically (temp file and rename) and written
 * without fsync: after a power cut a few batches may be sent again, which InfluxDB absorbs (a
 * point with the same series and timestamp overwrites itself). Writes are chained, in order.
 */
export class CursorFile {
  private readonly path: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(dir, 'cursor.json');
  }

  /** The cursor left by a previous run, or the start when there is none. */
  read(): SpoolCursor {
    try {
      const c = JSON.parse(readFileSync(this.path, 'utf8')) as { segment?: unknown; offset?: unknown };
      if (typeof c.segment === 'number' && typeof c.offset === 'number')
        return { segment: c.segment, offset: c.offset };
    } catch {
      /* no cursor yet */
    }
    return { segment: 0, offset: 0 };
  }

  write(cursor: SpoolCursor): Promise<void> {
    const data = JSON.stringify(cursor);
    const tmp = `${this.path}.tmp`;
    this.writing = this.writing
      .then(async () => {
        await writeFile(tmp, data);
        await rename(tmp, this.path);
      })
      .catch((err: Error) => this.warn(`spool: cannot write cursor: ${err.message}`));
    return this.writing;
  }

  /** Waits for the writes so far. */
  settled(): Promise<void> {
    return this.writing;
  }
}
