import type { LoggedDeviceEvent } from '../persistence/bed-context.repository';

/** Stored events a little older than the newest read are read again: commits do not land in received_at order. */
const MARGIN_MS = 5_000;
const PAGE = 2_000;

export interface PartitionEventRepairDeps {
  read(partitions: readonly number[], since: number, limit: number): Promise<LoggedDeviceEvent[]>;
  held(): number[];
  /** Hands an event not met yet to the node's input path, which marks it met with firstSight. */
  deliver(event: LoggedDeviceEvent): void;
  now(): number;
  onError(err: unknown): void;
}

/**
 * Clustered: the node that stored a device event is often not the owner of its bed. Whatever
 * the fast path between nodes delivers or drops, the owner reads the events stored for its
 * partitions every interval and evaluates each one it has not seen yet, so an acknowledged
 * event always reaches its owner (PostgreSQL is the durability boundary, the fast path only a
 * shortcut). Each event is delivered once per node: seen ones are remembered for as long as a
 * read can return them again.
 */
export class PartitionEventRepair {
  private readonly seen = new Map<string, number>();
  private watermark: number;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly deps: PartitionEventRepairDeps,
    private readonly intervalMs = 1_000,
  ) {
    this.watermark = deps.now();
  }

  /**
   * True the first time this node meets the event (from any path); false for a repeat. The
   * one place an event is marked met: what the repair reads goes through it too, on delivery.
   */
  firstSight(e: Pick<LoggedDeviceEvent, 'deviceId' | 'eventId' | 'receivedAt'>): boolean {
    const key = keyOf(e);
    if (this.seen.has(key)) return false;
    this.seen.set(key, e.receivedAt);
    return true;
  }

  /** Forgets that the event was met: it was not evaluated after all, so the next read delivers it. */
  unsee(e: Pick<LoggedDeviceEvent, 'deviceId' | 'eventId'>): void {
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

  /** One read of what was stored since the watermark; runs every interval, exposed for tests. */
  poll(): Promise<void> {
    this.polling ??= this.readAll()
      .catch((err) => this.deps.onError(err))
      .finally(() => (this.polling = null));
    return this.polling;
  }

  private async readAll(): Promise<void> {
    const partitions = this.deps.held();
    let since = this.watermark - MARGIN_MS;
    for (;;) {
      const page = await this.deps.read(partitions, since, PAGE);
      for (const e of page) {
        if (e.receivedAt > this.watermark) this.watermark = e.receivedAt;
        // Only looked up, not marked: the delivery path marks it (firstSight), and an event
        // marked here would be dropped there as a repeat.
        if (!this.seen.has(keyOf(e))) this.deps.deliver(e);
      }
      if (page.length < PAGE) break;
      since = page[page.length - 1].receivedAt;
    }
    this.forgetOlderThan(this.watermark - 2 * MARGIN_MS);
  }

  private forgetOlderThan(instant: number): void {
    for (const [key, at] of this.seen) if (at < instant) this.seen.delete(key);
  }
}

function keyOf(e: Pick<LoggedDeviceEvent, 'deviceId' | 'eventId'>): string {
  return `${e.deviceId}\u0000${e.eventId}`;
}
