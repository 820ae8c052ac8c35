import { Clock } from '@bedside/common';
import { LeaseManager, type ReleaseReason } from './lease-manager';
import type { ClaimedLease, ClusterRound, ClusterSnapshot, HeldLeases, LeaseRepository } from './lease.repository';
import type { NodeLivenessLock } from './node-lock.repository';

class ManualClock extends Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
}

/** An in-memory stand-in for the lease table: one node alone, every claim granted. */
class FakeLeases {
  epochs = new Map<number, number>();
  renewFails = false;
  steal = new Set<number>();
  live = ['n1'];
  draining = false;
  dbNow = () => 0;
  constructor(private readonly partitions: number) {}
  ensurePartitions = () => Promise.resolve();
  registerNode = () => Promise.resolve(1);
  setDraining = (_node: string, draining: boolean) => {
    this.draining = draining;
    return Promise.resolve();
  };
  snapshot = (): Promise<ClusterSnapshot> =>
    Promise.resolve({
      dbNow: this.dbNow(),
      liveNodes: this.live,
      leases: Array.from({ length: this.partitions }, (_, p) => ({
        partition: p,
        owner: this.epochs.has(p) && !this.steal.has(p) ? 'n1' : this.steal.has(p) ? 'n2' : null,
        epoch: this.epochs.get(p) ?? 0,
        expiresAt: this.epochs.has(p) ? 1 : -Infinity,
      })),
    });
  claim = (_node: string, ps: readonly number[]): Promise<ClaimedLease[]> =>
    Promise.resolve(
      ps.map((p) => {
        this.epochs.set(p, (this.epochs.get(p) ?? 0) + 1);
        return { partition: p, epoch: this.epochs.get(p)! };
      }),
    );
  renew = (_node: string, held: HeldLeases): Promise<number[]> =>
    this.renewFails
      ? Promise.reject(new Error('database unreachable'))
      : Promise.resolve([...held.keys()].filter((p) => !this.steal.has(p)));
  round = async (node: string, held: HeldLeases): Promise<ClusterRound> => {
    const renewed = await this.renew(node, held);
    return { ...(await this.snapshot()), renewed };
  };
  release = (_node: string, held: HeldLeases) => {
    for (const p of held.keys()) this.epochs.delete(p);
    return Promise.resolve([...held.keys()]);
  };
}

describe('LeaseManager', () => {
  const lock = { acquire: () => Promise.resolve(true), held: true, close: () => Promise.resolve() };
  let clock: ManualClock;
  let repo: FakeLeases;
  let manager: LeaseManager;
  const released: [number, number, ReleaseReason][] = [];

  beforeEach(async () => {
    clock = new ManualClock();
    repo = new FakeLeases(4);
    released.length = 0;
    manager = new LeaseManager(repo as unknown as LeaseRepository, lock as unknown as NodeLivenessLock, clock, {
      nodeId: 'n1',
      partitions: 4,
      ttlMs: 5000,
      tickMs: 1000,
    });
    manager.addListener({ released: (p, e, r) => void released.push([p, e, r]) });
    await manager.start();
  });
  afterEach(() => manager.stop());

  it('vouches for a lease only until TTL minus one tick after the last renewal it sent', async () => {
    expect(manager.heldPartitions()).toEqual([0, 1, 2, 3]);
    expect(manager.epochOf(2)).toBe(1);
    clock.t += 1000;
    await manager.tick(); // renewed at this instant
    repo.renewFails = true;
    clock.t += 1000;
    await manager.tick(); // renewal fails: the database may be gone
    clock.t += 2999;
    expect(manager.epochOf(2)).toBe(1);
    clock.t += 1;
    expect(manager.epochOf(2)).toBeUndefined();
    expect(manager.heldPartitions()).toEqual([0, 1, 2, 3]);
  });

  it('drops a lease another node took, telling its listeners, then hands the joiner its share', async () => {
    // n2 joined and took partition 1 (say, after a pause of n1's renewals).
    repo.live = ['n1', 'n2'];
    repo.steal.add(1);
    clock.t += 1000;
    await manager.tick();
    expect(manager.epochOf(1)).toBeUndefined();
    expect(released[0]).toEqual([1, 1, 'lost']);
    // Shares are now 2 and 2: n1 gives n2 the one it still lacks.
    expect(released.slice(1).map(([, , r]) => r)).toEqual(['handover']);
    expect(manager.heldPartitions()).toHaveLength(2);
    // Where work for a partition goes: this node for its own, else the owner the last look saw.
    expect(manager.ownerOf(manager.heldPartitions()[0])).toBe('n1');
    expect(manager.ownerOf(1)).toBe('n2');
  });

  it('on drain tells listeners first and then holds nothing', async () => {
    await manager.drain();
    expect(released.map(([p, , r]) => [p, r])).toEqual([
      [0, 'drain'],
      [1, 'drain'],
      [2, 'drain'],
      [3, 'drain'],
    ]);
    expect(manager.heldPartitions()).toEqual([]);
    expect(manager.epochOf(0)).toBeUndefined();
  });
});

describe('LeaseManager with a clock bound', () => {
  const lock = { acquire: () => Promise.resolve(true), held: true, close: () => Promise.resolve() };
  const clock = new ManualClock();
  let repo: FakeLeases;
  let manager: LeaseManager;
  let offsetMs = 0;
  const released: ReleaseReason[] = [];

  beforeEach(async () => {
    repo = new FakeLeases(4);
    repo.dbNow = () => clock.t + offsetMs;
    offsetMs = 0;
    released.length = 0;
    manager = new LeaseManager(repo as unknown as LeaseRepository, lock as unknown as NodeLivenessLock, clock, {
      nodeId: 'n1',
      partitions: 4,
      ttlMs: 5000,
      tickMs: 1000,
      maxClockSkewMs: 2000,
    });
    manager.addListener({ released: (_p, _e, r) => void released.push(r) });
    await manager.start();
  });
  afterEach(() => manager.stop());

  const tickAt = async (offset: number) => {
    offsetMs = offset;
    clock.t += 1000;
    await manager.tick();
  };

  it.each([3000, -3000])(
    'a node whose clock is %i ms off the database hands its partitions over and claims none until it is back',
    async (off) => {
      expect(manager.heldPartitions()).toEqual([0, 1, 2, 3]);
      await tickAt(off);
      expect(released).toEqual(['clock', 'clock', 'clock', 'clock']);
      expect(manager.heldPartitions()).toEqual([]);
      expect(repo.draining).toBe(true);
      expect(manager.clockAgainstDatabase).toEqual({ skewMs: off, inSync: false });
      // Within the bound but not within half of it: still out, so a clock hovering at the bound
      // does not make the partitions move back and forth.
      await tickAt(Math.sign(off) * 1500);
      expect(manager.heldPartitions()).toEqual([]);
      await tickAt(Math.sign(off) * 500);
      expect(manager.clockAgainstDatabase).toEqual({ skewMs: Math.sign(off) * 500, inSync: true });
      expect(repo.draining).toBe(false);
      await tickAt(Math.sign(off) * 500);
      expect(manager.heldPartitions()).toEqual([0, 1, 2, 3]);
    },
  );

  it('a skew within the bound moves nothing', async () => {
    await tickAt(1900);
    await tickAt(-1900);
    expect(released).toEqual([]);
    expect(manager.heldPartitions()).toEqual([0, 1, 2, 3]);
    expect(manager.clockAgainstDatabase.inSync).toBe(true);
  });
});
