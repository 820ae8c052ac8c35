import { Writable } from 'node:stream';
import { boundWrites } from './outbound-guard';

/** A connection whose peer never reads: nothing written ever completes. */
const stuck = () => new Writable({ highWaterMark: 1024, write: () => undefined });

describe('boundWrites', () => {
  it('reports once when unsent bytes pass the bound, not before', () => {
    const conn = stuck();
    const seen: number[] = [];
    boundWrites(conn, 4096, (n) => seen.push(n));
    for (let i = 0; i < 4; i++) conn.write(Buffer.alloc(1000));
    expect(seen).toEqual([]);
    for (let i = 0; i < 4; i++) conn.write(Buffer.alloc(1000));
    expect(seen).toEqual([5000]);
  });

  it('leaves a connection that keeps up alone', () => {
    const conn = new Writable({ write: (_c, _e, cb) => cb() });
    const seen: number[] = [];
    boundWrites(conn, 100, (n) => seen.push(n));
    for (let i = 0; i < 100; i++) conn.write(Buffer.alloc(50));
    expect(seen).toEqual([]);
  });
});
