import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool, type SpoolLogger } from './disk-spool';

const quiet = (): SpoolLogger & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, log: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
};

describe('DiskSpool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bedside-spool-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m,d=x v=${from + i} ${from + i}`);

  async function drainAll(spool: DiskSpool, max = 7): Promise<string[]> {
    const out: string[] = [];
    for (let b = await spool.peek(max); b; b = await spool.peek(max)) {
      out.push(...b.body.split('\n'));
      await spool.commit(b);
    }
    return out;
  }

  it('replays appends in order across segments, groups concurrent appends, deletes what was sent', async () => {
    const spool = new DiskSpool({ dir, maxBytes: 1 << 20, segmentBytes: 512, logger: quiet() });
    await Promise.all(Array.from({ length: 20 }, (_, i) => spool.append(lines(i * 5, 5))));
    expect(spool.depthPoints).toBe(100);
    expect(spool.segmentCount).toBeGreaterThan(1);
    expect(spool.oldestAgeMs()).toBeGreaterThanOrEqual(0);
    const out = await drainAll(spool);
    expect(out).toEqual(lines(0, 100));
    expect(spool.depthPoints).toBe(0);
    expect(spool.isEmpty).toBe(true);
    await spool.close();
    expect(readdirSync(dir).filter((f) => f.startsWith('seg-'))).toEqual([]);
  });

  it('resumes after a restart from the cursor, without re-sending what was committed', async () => {
    const a = new DiskSpool({ dir, maxBytes: 1 << 20, segmentBytes: 400, logger: quiet() });
    for (let i = 0; i < 10; i++) await a.append(lines(i * 4, 4));
    const b1 = (await a.peek(6))!;
    await a.commit(b1);
    const sent = b1.body.split('\n');
    await a.close();

    const b = new DiskSpool({ dir, maxBytes: 1 << 20, segmentBytes: 400, logger: quiet() });
    expect(b.depthPoints).toBe(40 - sent.length);
    await b.append(lines(40, 4));
    const rest = await drainAll(b);
    expect([...sent, ...rest]).toEqual(lines(0, 44));
    await b.close();
  });

  it('cuts a torn record at the tail on restart', async () => {
    const a = new DiskSpool({ dir, maxBytes: 1 << 20, logger: quiet() });
    await a.append(lines(0, 3));
    await a.append(lines(3, 3));
    await a.close();
    const seg = readdirSync(dir).find((f) => f.startsWith('seg-'))!;
    const size = statSync(join(dir, seg)).size;
    appendFileSync(join(dir, seg), Buffer.from([0x01, 0x00, 0xd5, 0xbe, 0xff, 0xff])); // half a header
    const log = quiet();
    const b = new DiskSpool({ dir, maxBytes: 1 << 20, logger: log });
    expect(statSync(join(dir, seg)).size).toBe(size);
    expect(b.depthPoints).toBe(6);
    expect(await drainAll(b)).toEqual(lines(0, 6));
    await b.close();
  });

  it('drops the oldest segments past the bound, and counts them', async () => {
    const log = quiet();
    const spool = new DiskSpool({ dir, maxBytes: 4096, segmentBytes: 1024, logger: log });
    for (let i = 0; i < 100; i++) await spool.append(lines(i * 2, 2));
    expect(spool.bytes).toBeLessThanOrEqual(4096);
    expect(spool.dropped).toBeGreaterThan(0);
    expect(spool.depthPoints + spool.dropped).toBe(200);
    const out = await drainAll(spool);
    expect(out).toEqual(lines(spool.dropped, 200 - spool.dropped)); // the newest survive, in order
    expect(log.lines.some((l) => /spool full/.test(l))).toBe(true);
    await spool.close();
  });
});
