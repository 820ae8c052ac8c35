import { fairShare, planLeases, type LeaseView } from './lease-plan';

const NOW = 1_000_000;
const leases = (n: number, owner: (p: number) => string | null, expiresAt = NOW + 5000): LeaseView[] =>
  Array.from({ length: n }, (_, p) => ({ partition: p, owner: owner(p), epoch: 1, expiresAt }));
const heldBy = (ls: LeaseView[], node: string) => new Set(ls.filter((l) => l.owner === node).map((l) => l.partition));

describe('fairShare', () => {
  it('splits partitions evenly, the remainder to the first nodes by name', () => {
    expect(['a', 'b', 'c'].map((n) => fairShare(64, ['c', 'a', 'b'], n))).toEqual([22, 21, 21]);
    expect(fairShare(64, ['a'], 'a')).toBe(64);
    expect(fairShare(64, ['a', 'b'], 'z')).toBe(0);
  });
});

describe('planLeases', () => {
  it('a lone node claims every free partition', () => {
    const plan = planLeases({
      self: 'a',
      liveNodes: ['a'],
      leases: leases(64, () => null),
      now: NOW,
      held: new Set(),
      draining: false,
    });
    expect(plan.target).toBe(64);
    expect(plan.claim.sort((x, y) => x - y)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect(plan.release).toEqual([]);
  });

  it('nodes starting together ask for their share only, mostly different partitions', () => {
    const ls = leases(64, () => null);
    const a = planLeases({
      self: 'node-a',
      liveNodes: ['node-a', 'node-b'],
      leases: ls,
      now: NOW,
      held: new Set(),
      draining: false,
    });
    const b = planLeases({
      self: 'node-b',
      liveNodes: ['node-a', 'node-b'],
      leases: ls,
      now: NOW,
      held: new Set(),
      draining: false,
    });
    expect(a.claim).toHaveLength(32);
    expect(b.claim).toHaveLength(32);
    expect(new Set([...a.claim, ...b.claim]).size).toBeGreaterThan(32);
  });

  it('takes the partitions of a node that is gone at once, and of a frozen one only after expiry', () => {
    // b crashed (its lock is gone: not live); c froze (live lock, leases expiring).
    const ls = leases(64, (p) => (p < 22 ? 'a' : p < 43 ? 'b' : 'c'));
    const live = ['a', 'c'];
    const plan = planLeases({
      self: 'a',
      liveNodes: live,
      leases: ls,
      now: NOW,
      held: heldBy(ls, 'a'),
      draining: false,
    });
    expect(plan.target).toBe(32);
    expect(plan.claim).toHaveLength(10);
    expect(plan.claim.every((p) => p >= 22 && p < 43)).toBe(true);

    const expired = ls.map((l) => (l.owner === 'c' ? { ...l, expiresAt: NOW - 1 } : l));
    const later = planLeases({
      self: 'a',
      liveNodes: ['a'],
      leases: expired,
      now: NOW,
      held: heldBy(ls, 'a'),
      draining: false,
    });
    expect(later.claim.filter((p) => p >= 43)).toHaveLength(21);
  });

  it('leaves live unexpired leases of others alone even below its share', () => {
    const ls = leases(64, (p) => (p < 32 ? 'a' : 'b'));
    const plan = planLeases({
      self: 'c',
      liveNodes: ['a', 'b', 'c'],
      leases: ls,
      now: NOW,
      held: new Set(),
      draining: false,
    });
    expect(plan.claim).toEqual([]);
  });

  it('a node above its share hands over only what a joining node can take', () => {
    const ls = leases(64, (p) => (p < 32 ? 'a' : 'b'));
    const a = planLeases({
      self: 'a',
      liveNodes: ['a', 'b', 'c'],
      leases: ls,
      now: NOW,
      held: heldBy(ls, 'a'),
      draining: false,
    });
    const b = planLeases({
      self: 'b',
      liveNodes: ['a', 'b', 'c'],
      leases: ls,
      now: NOW,
      held: heldBy(ls, 'b'),
      draining: false,
    });
    expect(a.target).toBe(22);
    expect(b.target).toBe(21);
    expect(a.release).toHaveLength(10);
    expect(b.release).toHaveLength(11);
    // Once c has its share, nobody releases any more.
    const settled = leases(64, (p) => (p < 22 ? 'a' : p < 43 ? 'b' : 'c'));
    const again = planLeases({
      self: 'a',
      liveNodes: ['a', 'b', 'c'],
      leases: settled,
      now: NOW,
      held: heldBy(settled, 'a'),
      draining: false,
    });
    expect(again).toEqual({ claim: [], release: [], target: 22 });
  });

  it('two nodes above their share together release exactly what the newcomer lacks', () => {
    const ls = leases(64, (p) => (p < 24 ? 'a' : 'b'));
    const live = ['a', 'b', 'c'];
    const a = planLeases({ self: 'a', liveNodes: live, leases: ls, now: NOW, held: heldBy(ls, 'a'), draining: false });
    const b = planLeases({ self: 'b', liveNodes: live, leases: ls, now: NOW, held: heldBy(ls, 'b'), draining: false });
    expect(a.release).toHaveLength(2);
    expect(b.release).toHaveLength(19);
    expect(a.release.length + b.release.length).toBe(fairShare(64, live, 'c'));
  });

  it('counts expired partitions as available when deciding how many to hand over', () => {
    // b and c lack 21 each, 30 lie expired: a (34, share 22) hands over only the 12 still missing.
    const ls = leases(64, (p) => (p < 34 ? 'a' : 'b')).map((l) => (l.owner === 'b' ? { ...l, expiresAt: NOW - 1 } : l));
    const a = planLeases({
      self: 'a',
      liveNodes: ['a', 'b', 'c'],
      leases: ls,
      now: NOW,
      held: heldBy(ls, 'a'),
      draining: false,
    });
    expect(a.release.length).toBeLessThanOrEqual(34 - 22);
    expect(a.release.length).toBe(Math.max(0, 21 + 21 - 30));
  });

  it('a draining node releases everything and claims nothing', () => {
    const ls = leases(8, (p) => (p < 4 ? 'a' : null));
    const plan = planLeases({
      self: 'a',
      liveNodes: ['b'],
      leases: ls,
      now: NOW,
      held: heldBy(ls, 'a'),
      draining: true,
    });
    expect(plan).toEqual({ claim: [], release: [0, 1, 2, 3], target: 0 });
  });
});

describe('planLeases after a lost liveness session', () => {
  it('reclaims its own rows it no longer holds instead of waiting out their TTL', () => {
    const ls = leases(64, (p) => (p < 32 ? 'a' : 'b'));
    const plan = planLeases({
      self: 'a',
      liveNodes: ['a', 'b'],
      leases: ls,
      now: NOW,
      held: new Set(),
      draining: false,
    });
    expect(plan.claim.sort((x, y) => x - y)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });
});
