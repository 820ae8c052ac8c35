import type { LoggedDeviceEvent } from '../persistence/bed-context.repository';

/**
 * Each read starts this long before the database's clock at the previous read began: a
 * transaction stamps its rows when it writes them and they become visible when it commits.
 */
const MARGIN_MS = 5_000;
const PAGE = 2_000;

type EventKey = Pick<LoggedDeviceEvent, 'deviceId' | 'eventId'>;

export interface PartitionEventRepairDeps {
  /** The database's clock now (reads are cursored by it, never by a node's). */
  databaseNow(): Promise<number>;
  /** Events of these partitions stored at or after `since` by the database's clock, oldest first, each with `storedAt`. */
  read(partitions: readonly number[], since: number, limit: number): Promise<LoggedDeviceEvent[]>;
  held(): number[];
  /** Hands an event not met yet to the node's input path, which marks it met with firstSight. */
  deliver(event: LoggedDeviceEvent): void;
  /**
   * This node's own clock. Only spans of it are used, never compared with the database's; a
   * step of it can at worst bring an event round again, which the rules drop by its event id.
   */
  elapsed(): number;
  onError(err: unknown): void;
}

/**
 * Clustered: the node that stored a device event is often not the owner of its bed. Whatever
 * the fast path between nodes delivers or drops, the owner reads the events stored for its
 * partitions every interval and evaluates each one it has not seen yet, so an acknowledged
 * event always reaches its owner (PostgreSQL is the durability boundary, the fast path only a
 * shortcut). The reads follow the database's clock (`stored_at`), so an event stamped by a
 * node whose clock runs behind is read like any other. Each event is delivered once per node:
 * met ones are remembered for as long as a read can return them again.
 */
export class PartitionEventRepair {
  /** Event key → this node's time when it was first met. */
  private readonly seen = new Map<string, number>();
  /** Database time the next read starts from; null before the first read. */
  private since: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly deps: PartitionEventRepairDeps,
    private readonly intervalMs = 1_000,
  ) {}

  /**
   * True the first time this node meets the event (from any path); false for a repeat. The
   * one place an event is marked met: what the repair reads goes through it too, on delivery.
   */
  firstSight(e: EventKey): boolean {
    const key = keyOf(e);
    if (this.seen.has(key)) return false;
    this.seen.set(key, this.deps.elapsed());
    return true;
  }

  /** Forgets that the event was met: it was not evaluated after all, so the next read delivers it. */
  unsee(e: EventKey): void {
    this.seen.delete(keyOf(e));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** One read of what was stored since the previous read; runs every interval, exposed for tests. */
  poll(): Promise<void> {
    this.polling ??= this.readAll()
      .catch((err) => this.deps.onError(err))
      .finally(() => (this.polling = null));
    return this.polling;
  }

  private async readAll(): Promise<void> {
    const partitions = this.deps.held();
    const startedAt = this.deps.elapsed();
    const now = await this.deps.databaseNow();
    let since = this.since ?? now - MARGIN_MS;
    for (;;) {
      const page = await this.deps.read(partitions, since, PAGE);
      for (const e of page) {
        // Only looked up, not marked: the delivery path marks it (firstSight), and an event
        // marked here would be dropped there as a repeat.
        if (!this.seen.has(keyOf(e))) this.deps.deliver(e);
      }
      if (page.length < PAGE) break;
      since = page[page.length - 1].storedAt ?? since;
    }
    // Only a read that completed moves the cursor: after a failed one (the database away), the
    // next read starts where this one did.
    this.since = now - MARGIN_MS;
    // An event is stored before any node meets it, so once a read has begun more than the
    // margin after an event was met, no later read returns it. One stored only after it was met
    // (sent on while the database was away) may come again; the rules drop it by its event id.
    this.forgetMetBefore(startedAt - 2 * MARGIN_MS);
  }

  private forgetMetBefore(instant: number): void {
    for (const [key, at] of this.seen) if (at < instant) this.seen.delete(key);
  }
}

function keyOf(e: EventKey): string {
  return `${e.deviceId}\u0000${e.eventId}`;
}
