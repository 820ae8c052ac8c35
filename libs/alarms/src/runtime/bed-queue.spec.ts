import { BedQueue } from './bed-queue';

const tick = () => new Promise((r) => setImmediate(r));

describe('BedQueue', () => {
  it('runs jobs of one bed one after another, and beds concurrently', async () => {
    const q = new BedQueue();
    const log: string[] = [];
    let releaseA!: () => void;
    const a1 = q.run('a', () => new Promise<void>((r) => (releaseA = () => (log.push('a1'), r()))));
    const a2 = q.run('a', async () => void log.push('a2'));
    const b1 = q.run('b', async () => void log.push('b1'));
    await b1;
    await tick();
    expect(log).toEqual(['b1']); // b did not wait for a; a2 waits for a1
    releaseA();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
  });

  it('keeps going after a failed job and reports the failure to its caller only', async () => {
    const q = new BedQueue();
    await expect(
      q.run('a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(q.run('a', async () => 42)).resolves.toBe(42);
  });

  it('holds every job until the gate opens (boot recovery first)', async () => {
    const q = new BedQueue();
    let open!: () => void;
    q.hold(new Promise((r) => (open = r)));
    const ran: string[] = [];
    const job = q.run('a', async () => void ran.push('a'));
    await tick();
    expect(ran).toEqual([]);
    open();
    await job;
    expect(ran).toEqual(['a']);
    await q.idle();
  });

  it('is idle for a bed only when the gate is open and none of its jobs is queued or running', async () => {
    const q = new BedQueue();
    let open!: () => void;
    q.hold(new Promise((r) => (open = r)));
    expect(q.isIdle('a')).toBe(false); // recovery still running
    open();
    await tick();
    expect(q.isIdle('a')).toBe(true);
    let release!: () => void;
    const job = q.run('a', () => new Promise<void>((r) => (release = r)));
    expect(q.isIdle('a')).toBe(false);
    expect(q.isIdle('b')).toBe(true);
    await tick();
    release();
    await job;
    await tick();
    expect(q.isIdle('a')).toBe(true);
  });
});
