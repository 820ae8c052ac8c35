import { BedQueue } from './bed-queue';

const tick = () => new Promise<void>((r) => setImmediate(r));

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

describe('BedQueue priority lane', () => {
  /** A job that logs its start and ends a turn of the event loop later (a database round trip). */
  const job = (log: string[], name: string) => () => {
    log.push(name);
    return tick();
  };

  it('starts an SOS queued behind 10,000 readings of other beds before the remaining readings', async () => {
    const q = new BedQueue({ normalLimit: 4 });
    const started: string[] = [];
    const readings: Promise<void>[] = [];
    for (let n = 0; n < 10; n++)
      for (let b = 0; b < 1000; b++) readings.push(q.run(`bed-${b}`, job(started, `bed-${b}#${n}`)));
    await tick();
    await tick();
    const before = started.length;
    expect(before).toBeGreaterThan(0);
    expect(q.queued).toBe(10_000 - before);
    const sos = q.run('bed-sos', job(started, 'sos'), { priority: true });
    await sos;
    const at = started.indexOf('sos');
    // Started with what was already running, not after the queue: the jobs running when it came
    // (at most the normal limit) may have been followed by a few more while it ran.
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThan(before + 4 * 3);
    expect(q.queued).toBeGreaterThan(9_900);
    await Promise.all(readings);
    expect(started).toHaveLength(10_001);
    // Per-bed order held throughout.
    const last = new Map<string, number>();
    for (const s of started.filter((x) => x !== 'sos')) {
      const [bed, n] = s.split('#');
      expect(Number(n)).toBe((last.get(bed) ?? -1) + 1);
      last.set(bed, Number(n));
    }
  });

  it("runs a bed's own queued readings before its SOS, promoted ahead of other beds' backlog", async () => {
    const q = new BedQueue({ normalLimit: 2 });
    const started: string[] = [];
    const all: Promise<void>[] = [];
    for (let n = 0; n < 5; n++)
      for (let b = 0; b < 200; b++) all.push(q.run(`bed-${b}`, job(started, `bed-${b}#${n}`)));
    const own = [0, 1, 2, 3, 4].map((n) => `bed-150#${n}`);
    all.push(q.run('bed-150', job(started, 'bed-150 sos'), { priority: true }));
    await Promise.all(all);
    const sosAt = started.indexOf('bed-150 sos');
    // Its bed's five readings, in order, right before it (other beds run alongside in their class).
    expect(started.filter((s) => s.startsWith('bed-150')).slice(-6)).toEqual([...own, 'bed-150 sos']);
    expect(own.map((s) => started.indexOf(s)).every((i, k, xs) => k === 0 || i > xs[k - 1])).toBe(true);
    // Five ticks of its own work: other beds started only a few jobs meanwhile, not the backlog.
    expect(sosAt).toBeLessThan(30);
  });

  it('reports how long a priority job waited (injected clock) and how many beds it overtook', async () => {
    let now = 1_000;
    const starts: { waitedMs: number; overtook: number }[] = [];
    const q = new BedQueue({ normalLimit: 1, now: () => now, onPriorityStart: (s) => starts.push(s) });
    let release!: () => void;
    const running = q.run('a', () => new Promise<void>((r) => (release = r)));
    const waiting = ['b', 'c', 'd'].map((bed) => q.run(bed, async () => undefined));
    const first = q.run('a', async () => 'sos', { priority: true }); // behind its own running job
    now = 1_250;
    expect(starts).toEqual([]);
    await tick();
    release();
    await expect(first).resolves.toBe('sos');
    expect(starts).toEqual([{ waitedMs: 250, overtook: 3 }]);
    await Promise.all([running, ...waiting]);
    await q.run('e', async () => undefined, { priority: true });
    expect(starts[1]).toEqual({ waitedMs: 0, overtook: 0 });
  });

  it('keeps at most the normal limit of other jobs running, and priority jobs beyond it', async () => {
    const q = new BedQueue({ normalLimit: 2 });
    let running = 0;
    let most = 0;
    const slow = () => async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      await tick();
      running--;
    };
    const jobs = [0, 1, 2, 3, 4, 5].map((b) => q.run(`b${b}`, slow()));
    await tick();
    expect(running).toBe(2);
    const urgent = q.run('u', slow(), { priority: true });
    await tick();
    expect(running).toBe(3);
    await Promise.all([...jobs, urgent]);
    expect(most).toBe(3);
  });

  it('holds priority jobs for the gate too, then starts them first', async () => {
    const q = new BedQueue({ normalLimit: 1 });
    let open!: () => void;
    q.hold(new Promise((r) => (open = r)));
    const started: string[] = [];
    const jobs = ['a', 'b', 'c'].map((bed) => q.run(bed, job(started, bed)));
    const sos = q.run('s', job(started, 'sos'), { priority: true });
    await tick();
    expect(started).toEqual([]);
    open();
    await Promise.all([...jobs, sos]);
    expect(started).toEqual(['sos', 'a', 'b', 'c']);
  });
});

describe('BedQueue with a long queue on one bed', () => {
  it('runs 5,000 queued jobs of one bed in order, an SOS of another bed among the first', async () => {
    const q = new BedQueue({ normalLimit: 1 });
    const ran: number[] = [];
    const jobs = Array.from({ length: 5000 }, (_, i) => q.run('flood', async () => void ran.push(i)));
    expect(q.queued).toBe(4999); // the first one started
    const sos = q.run('other', async () => ran.length, { priority: true });
    await expect(sos).resolves.toBeLessThan(5);
    await Promise.all(jobs);
    expect(ran).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(q.queued).toBe(0);
    expect(q.isIdle('flood')).toBe(true);
  });
});

describe('BedQueue jobs that wait for something else', () => {
  it('take no place among running jobs while they wait, and keep their bed after them', async () => {
    const q = new BedQueue({ normalLimit: 1 });
    let open!: () => void;
    const partition = new Promise<void>((r) => (open = r));
    const started: string[] = [];
    const gated = q.run('a', async () => void started.push('a1'), { after: partition });
    const behind = q.run('a', async () => void started.push('a2'));
    const other = q.run('b', async () => void started.push('b1'));
    await other;
    expect(started).toEqual(['b1']); // b was not held up by a's wait
    expect(q.isIdle('a')).toBe(false);
    open();
    await Promise.all([gated, behind]);
    expect(started).toEqual(['b1', 'a1', 'a2']);
  });
});
