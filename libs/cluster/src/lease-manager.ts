import type { Clock } from '@bedside/common';
import { DomainError } from '@bedside/common';
import { planLeases } from './lease-plan';
import type { LeaseRepository } from './lease.repository';
import type { NodeLivenessLock } from './node-lock.repository';

export type ReleaseReason = 'handover' | 'drain' | 'lost' | 'clock';

/**
 * Told when this node gains or gives up a partition. `released` runs before the lease is handed
 * back (handover, drain), so the partition's work stops before another node may start it; when
 * the lease was lost (taken over or expired) it runs after the fact, and the fence refuses the
 * stale writes meanwhile.
 */
export interface LeaseListener {
  acquired?(partition: number, epoch: number): void | Promise<void>;
  released?(partition: number, epoch: number, reason: ReleaseReason): void | Promise<void>;
}

export interface LeaseManagerOptions {
  nodeId: string;
  partitions: number;
  ttlMs: number;
  /** How often leases are renewed and the cluster looked at. */
  tickMs?: number;
  /**
   * How far this node's clock may be from PostgreSQL's before it gives its partitions up and
   * claims none until it is back within half of it. Unset: not checked.
   */
  maxClockSkewMs?: number;
}

/** This node's clock against PostgreSQL's, as last measured at a tick. */
export interface ClockCheck {
  /** Database clock minus this node's (midpoint of the round trip), in ms. */
  skewMs: number;
  /** False while the node keeps out of the partitions because its clock is too far off. */
  inSync: boolean;
}

export interface LeaseManagerLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** Reports a failure that means the database is unreachable (logged once, as the outage); true if it was one. */
  databaseUnavailable?(err: unknown): boolean;
  /** Reports that the database answered a lease round. */
  databaseAnswered?(): void;
}

const quietLog: LeaseManagerLog = { info: () => undefined, warn: () => undefined };

/**
 * Holds this node's share of the partition leases: claims free, expired and dead nodes'
 * partitions, renews its own every tick, hands surplus to a node that joined, and releases
 * everything on drain. Decisions are planLeases'; PostgreSQL arbitrates every claim.
 */
export class LeaseManager {
  private readonly held = new Map<number, number>();
  /** Every partition's owner as of the last look at the cluster (up to a tick old). */
  private owners = new Map<number, string>();
  /** Local instant until which this node may trust a lease without a newer renewal. */
  private validUntil = -Infinity;
  private lastAnsweredAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private draining = false;
  private stopped = true;
  private lockKey = 0;
  private clockCheck: ClockCheck = { skewMs: 0, inSync: true };
  private readonly listeners: LeaseListener[] = [];
  private readonly tickMs: number;

  constructor(
    private readonly repo: LeaseRepository,
    private readonly lock: NodeLivenessLock,
    private readonly clock: Clock,
    private readonly opts: LeaseManagerOptions,
    private readonly log: LeaseManagerLog = quietLog,
  ) {
    this.tickMs = opts.tickMs ?? 1000;
    if (this.tickMs * 2 > opts.ttlMs) throw new RangeError('lease TTL must be at least two renewal periods');
  }

  get nodeId(): string {
    return this.opts.nodeId;
  }

  /** When the database last answered a lease round (this node's clock): every tick while it can. */
  get databaseAnsweredAt(): number {
    return this.lastAnsweredAt;
  }

  addListener(listener: LeaseListener): void {
    this.listeners.push(listener);
  }

  /** The epoch this node holds `partition` at, or undefined when it may not act for it. */
  epochOf(partition: number): number | undefined {
    if (this.clock.now() >= this.validUntil) return undefined;
    return this.held.get(partition);
  }

  /**
   * The node that held `partition` at the last tick (up to a tick old): where to send work for
   * it; the receiver checks its own lease before acting.
   */
  ownerOf(partition: number): string | undefined {
    return this.held.has(partition) ? this.opts.nodeId : this.owners.get(partition);
  }

  /** The last measurement of this node's clock against the database's. */
  get clockAgainstDatabase(): ClockCheck {
    return this.clockCheck;
  }

  heldPartitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    await this.repo.ensurePartitions(this.opts.partitions);
    this.lockKey = await this.repo.registerNode(this.opts.nodeId);
    if (!(await this.lock.acquire(this.lockKey))) {
      throw new DomainError('CONFLICT', `another live node is already named ${this.opts.nodeId}`, {
        nodeId: this.opts.nodeId,
      });
    }
    this.stopped = false;
    await this.tick();
    this.schedule();
  }

  /** One renewal and planning round; runs every tickMs on its own, exposed for tests. */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => (this.ticking = null));
    return this.ticking;
  }

  /** Hands every lease back (after its listeners stopped the work) and stops claiming. */
  async drain(): Promise<void> {
    this.draining = true;
    this.clearTimer();
    await this.ticking;
    await this.repo.setDraining(this.opts.nodeId, true);
    await this.releaseAll('drain');
  }

  /** Stops renewing and ends the liveness session: remaining leases go to the others at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.ticking;
    await this.lock.close();
    const lost = [...this.held];
    this.held.clear();
    for (const [p, e] of lost) await this.notifyReleased(p, e, 'lost');
  }

  private schedule(): void {
    if (this.stopped || this.draining) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, this.tickMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async runTick(): Promise<void> {
    if (this.stopped) return;
    const startedAt = this.clock.now();
    try {
      if (!this.lock.held) {
        // Our liveness session is gone, so the others may already own our partitions.
        await this.dropAll();
        if (!(await this.lock.acquire(this.lockKey))) return;
        this.log.info('liveness lock re-acquired', { nodeId: this.opts.nodeId });
      }
      if (this.draining) {
        // Only renewals: what is still held is being handed over.
        await this.renewed(await this.repo.renew(this.opts.nodeId, this.held, this.opts.ttlMs), startedAt);
        this.answered(this.clock.now());
        return;
      }
      // Renewal, heartbeat and the look at the cluster in one statement: one round trip a tick.
      const askedAt = this.clock.now();
      const snap = await this.repo.round(this.opts.nodeId, this.held, this.opts.ttlMs);
      const answeredAt = this.clock.now();
      this.answered(answeredAt);
      await this.renewed(snap.renewed, startedAt);
      if (!(await this.checkClock(snap.dbNow, askedAt, answeredAt))) return;
      this.owners = new Map(
        snap.leases.filter((l) => l.owner !== null && l.expiresAt > snap.dbNow).map((l) => [l.partition, l.owner!]),
      );
      const plan = planLeases({
        self: this.opts.nodeId,
        liveNodes: snap.liveNodes,
        leases: snap.leases,
        now: snap.dbNow,
        held: new Set(this.held.keys()),
        draining: this.draining,
      });
      if (plan.release.length) await this.handOver(plan.release, 'handover');
      if (plan.claim.length) {
        const claimed = await this.repo.claim(this.opts.nodeId, plan.claim, this.opts.ttlMs);
        if (claimed.length && this.held.size === 0) this.validUntil = startedAt + this.opts.ttlMs - this.tickMs;
        for (const c of claimed) {
          this.held.set(c.partition, c.epoch);
          this.log.info('partition lease claimed', { partition: c.partition, epoch: c.epoch });
          for (const l of this.listeners) await l.acquired?.(c.partition, c.epoch);
        }
      }
    } catch (err) {
      // The database may be unreachable: keep the leases until validUntil passes, then epochOf
      // stops vouching for them; the next tick tries again.
      if (!this.log.databaseUnavailable?.(err)) this.log.warn('lease tick failed', { err: (err as Error).message });
    }
  }

  private answered(at: number): void {
    this.lastAnsweredAt = at;
    this.log.databaseAnswered?.();
  }

  /** Drops the held leases the round did not renew; trusts the rest for the TTL counted from `startedAt`. */
  private async renewed(renewed: readonly number[], startedAt: number): Promise<void> {
    if (this.held.size === 0) return;
    const kept = new Set(renewed);
    for (const [p, e] of [...this.held]) {
      if (kept.has(p)) continue;
      this.held.delete(p);
      this.log.warn('partition lease lost', { partition: p, epoch: e });
      await this.notifyReleased(p, e, 'lost');
    }
    // Trust the leases for the TTL counted from before the renewal was sent, less one tick of
    // margin for clock rate differences.
    this.validUntil = startedAt + this.opts.ttlMs - this.tickMs;
  }

  /**
   * Event cursors and the repair margin compare instants stamped by different nodes, so a node
   * whose clock is off by more than the bound must not own partitions: it hands them over, is
   * not counted among the live nodes (draining), and comes back once within half the bound.
   * Answers whether the node may go on planning. The database's instant lies between the two
   * local readings, so only a skew beyond the round trip counts.
   */
  private async checkClock(dbNow: number, askedAt: number, answeredAt: number): Promise<boolean> {
    const bound = this.opts.maxClockSkewMs;
    const skewMs = Math.round(dbNow - (askedAt + answeredAt) / 2);
    if (bound === undefined) {
      this.clockCheck = { skewMs, inSync: true };
      return true;
    }
    const least = Math.max(dbNow - answeredAt, askedAt - dbNow, 0);
    const wasInSync = this.clockCheck.inSync;
    const inSync = wasInSync ? least <= bound : least <= bound / 2;
    this.clockCheck = { skewMs, inSync };
    if (wasInSync && !inSync) {
      this.log.warn('clock too far from the database: partitions handed over until it is back', {
        skewMs,
        maxClockSkewMs: bound,
      });
      await this.repo.setDraining(this.opts.nodeId, true);
      await this.releaseAll('clock');
    } else if (!wasInSync && inSync) {
      this.log.info('clock back within bound of the database: claiming partitions again', { skewMs });
      await this.repo.setDraining(this.opts.nodeId, false);
    }
    return inSync;
  }

  private async handOver(partitions: number[], reason: ReleaseReason): Promise<void> {
    const give = new Map<number, number>();
    for (const p of partitions) {
      const e = this.held.get(p);
      if (e === undefined) continue;
      give.set(p, e);
      // Stop acting first: from here epochOf no longer vouches for it.
      this.held.delete(p);
      await this.notifyReleased(p, e, reason);
    }
    await this.repo.release(this.opts.nodeId, give);
    if (give.size) this.log.info('partition leases handed over', { partitions: [...give.keys()], reason });
  }

  private releaseAll(reason: ReleaseReason): Promise<void> {
    return this.handOver([...this.held.keys()], reason);
  }

  private async dropAll(): Promise<void> {
    const lost = [...this.held];
    this.held.clear();
    for (const [p, e] of lost) await this.notifyReleased(p, e, 'lost');
  }

  private async notifyReleased(partition: number, epoch: number, reason: ReleaseReason): Promise<void> {
    for (const l of this.listeners) await l.released?.(partition, epoch, reason);
  }
}
