/** One partition's lease as a node last read it. */
export interface LeaseView {
  partition: number;
  owner: string | null;
  epoch: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface LeasePlanInput {
  self: string;
  /** Nodes holding their liveness lock and not draining, self included when it is live. */
  liveNodes: readonly string[];
  leases: readonly LeaseView[];
  now: number;
  /** Partitions this node has held since it last checked (renewed and still its own). */
  held: ReadonlySet<number>;
  draining: boolean;
}

export interface LeasePlan {
  /** Partitions to try to claim (free, expired, or owned by a node that is gone). */
  claim: number[];
  /** Partitions to hand back so a node with fewer than its share can take them. */
  release: number[];
  /** This node's fair share right now. */
  target: number;
}

/**
 * A node's fair share: partitions spread evenly over live nodes, the remainder going to the
 * first nodes in name order, so every node computes the same shares from the same list.
 */
export function fairShare(partitions: number, liveNodes: readonly string[], node: string): number {
  const sorted = [...new Set(liveNodes)].sort();
  const i = sorted.indexOf(node);
  if (i < 0) return 0;
  const base = Math.floor(partitions / sorted.length);
  return base + (i < partitions % sorted.length ? 1 : 0);
}

/**
 * What a node should claim and release this tick. A proposal only: PostgreSQL arbitrates every
 * claim (it re-checks expiry and liveness in the UPDATE), so two nodes planning from slightly
 * different views cannot both win a partition.
 *
 * Balancing moves partitions only from a node above its share to one below it, and one node
 * releases only down to its share, so a joining node is filled without every node reshuffling.
 */
export function planLeases(input: LeasePlanInput): LeasePlan {
  const { self, leases, now, held } = input;
  const live = new Set(input.liveNodes);
  if (input.draining) return { claim: [], release: [...held].sort((a, b) => a - b), target: 0 };
  const target = fairShare(leases.length, input.liveNodes, self);

  // Rows naming this node that it does not hold are from before it lost its liveness session
  // (or restarted): its own again, under a new epoch, rather than waiting out their TTL.
  const claimable = (l: LeaseView) =>
    l.owner === null || l.expiresAt <= now || (l.owner === self ? !held.has(l.partition) : !live.has(l.owner));
  const mine = leases.filter((l) => l.owner === self && held.has(l.partition)).length;

  const claim: number[] = [];
  if (mine < target) {
    // Own stale rows first, then the rest in an order that differs per node, so that nodes
    // claiming at the same instant mostly ask for different rows.
    const stale = leases.filter((l) => l.owner === self && claimable(l)).map((l) => l.partition);
    const free = leases.filter((l) => l.owner !== self && claimable(l)).map((l) => l.partition);
    claim.push(...stale.slice(0, target - mine));
    claim.push(...rotate(free, hashName(self)).slice(0, target - mine - claim.length));
  }

  const release: number[] = [];
  if (mine > target) {
    // Give back only what a live node below its share can absorb right now.
    const counts = new Map<string, number>();
    for (const l of leases) if (l.owner !== null && !claimable(l)) counts.set(l.owner, (counts.get(l.owner) ?? 0) + 1);
    const unowned = leases.filter((l) => claimable(l)).length;
    let deficit = 0;
    for (const n of live)
      if (n !== self) deficit += Math.max(0, fairShare(leases.length, input.liveNodes, n) - (counts.get(n) ?? 0));
    const give = Math.min(mine - target, Math.max(0, deficit - unowned));
    const ownSorted = leases
      .filter((l) => l.owner === self && held.has(l.partition))
      .map((l) => l.partition)
      .sort((a, b) => b - a);
    release.push(...ownSorted.slice(0, give));
  }
  return { claim, release, target };
}

function rotate<T>(xs: T[], by: number): T[] {
  if (xs.length === 0) return xs;
  const k = by % xs.length;
  return xs.slice(k).concat(xs.slice(0, k));
}

function hashName(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}
