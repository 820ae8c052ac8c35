import { stat } from 'node:fs';
import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes concurrent submissions in one batch and resolves each with its result', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        return items.map((i) => i * 10);
      },
      { delayMs: 5, maxBatch: 100 },
    );
    const results = await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes at maxBatch without waiting for the delay', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number>(async (items) => void batches.push(items), { delayMs: 10_000, maxBatch: 2 });
    await Promise.all([gc.submit(1), gc.submit(2)]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('rejects every caller of a failed write, and later batches still work', async () => {
    let fail = true;
    const gc = new GroupCommit<number>(
      async () => {
        if (fail) throw new Error('disk full');
      },
      { delayMs: 1, maxBatch: 10 },
    );
    await expect(Promise.all([gc.submit(1), gc.submit(2)])).rejects.toThrow('disk full');
    fail = false;
    await expect(gc.submit(3)).resolves.toBeUndefined();
  });

  it("with delayMs 0 writes what one event-loop turn submitted in one batch, before the next turn's timers", async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number>(async (items) => void batches.push(items), { delayMs: 0, maxBatch: 100 });
    // From an I/O callback, as a socket read is: the flush must not wait for a timer.
    const seenByTimer = await new Promise<number>((done) =>
      stat(__filename, () => {
        setTimeout(() => done(batches.length), 0);
        void gc.submit(1);
        void gc.submit(2);
      }),
    );
    expect(seenByTimer).toBe(1);
    expect(batches).toEqual([[1, 2]]);
  });

  it('drain waits for writes in flight', async () => {
    let done = false;
    const gc = new GroupCommit<number>(
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        done = true;
      },
      { delayMs: 1000, maxBatch: 10 },
    );
    void gc.submit(1);
    await gc.drain();
    expect(done).toBe(true);
  });

  it('drain also waits until every caller of a large batch has been answered (they are told in slices)', async () => {
    const gc = new GroupCommit<number>(async () => undefined, { delayMs: 1000, maxBatch: 10_000 });
    let answered = 0;
    for (let i = 0; i < 1_000; i++) void gc.submit(i).then(() => answered++);
    await gc.drain();
    await Promise.resolve(); // the last callers' own continuations
    expect(answered).toBe(1_000);
  });
});
