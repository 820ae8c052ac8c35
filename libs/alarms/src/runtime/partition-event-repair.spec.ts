import type { LoggedDeviceEvent } from '../persistence/bed-context.repository';
import { PartitionEventRepair } from './partition-event-repair';

const T0 = Date.parse('2026-03-01T02:00:00Z');
/** An event the database stored at `storedAt`; the receiving node stamped it `receivedAt` by its own clock. */
const ev = (eventId: string, storedAt: number, receivedAt = storedAt): LoggedDeviceEvent => ({
  deviceId: 'button-1',
  kind: 'button',
  bedId: 'bed-1',
  eventId,
  type: 'button.pressed',
  ts: receivedAt,
  receivedAt,
  storedAt,
});

function harness(stored: LoggedDeviceEvent[]) {
  const delivered: string[] = [];
  const reads: { partitions: readonly number[]; since: number }[] = [];
  let database = T0;
  let local = 0;
  let databaseAway = false;
  // As the rules runner does: an input is evaluated the first time the node meets it.
  const repair: PartitionEventRepair = new PartitionEventRepair({
    databaseNow: () => (databaseAway ? Promise.reject(new Error('connection refused')) : Promise.resolve(database)),
    read: (partitions, since, limit) => {
      reads.push({ partitions, since });
      return Promise.resolve(
        stored
          .filter((e) => e.storedAt! >= since)
          .sort((a, b) => a.storedAt! - b.storedAt!)
          .slice(0, limit),
      );
    },
    held: () => [2, 9],
    deliver: (e) => {
      if (repair.firstSight(e)) delivered.push(e.eventId);
    },
    elapsed: () => local,
    onError: () => undefined,
  });
  return {
    repair,
    delivered,
    reads,
    /** Both clocks move on together: the database's and this node's monotonic one. */
    advance: (ms: number) => {
      database += ms;
      local += ms;
    },
    setDatabaseAway: (away: boolean) => (databaseAway = away),
  };
}

describe('PartitionEventRepair', () => {
  it('delivers each stored event of the held partitions once, also when a later read returns it again', async () => {
    const stored = [ev('a', T0 - 900), ev('b', T0 - 800)];
    const h = harness(stored);
    await h.repair.poll();
    expect(h.delivered).toEqual(['a', 'b']);
    expect(h.reads[0].partitions).toEqual([2, 9]);
    h.advance(1_000);
    // Stamped before the last read began but committed after it: within the margin, so found now.
    stored.push(ev('late', T0 - 100));
    stored.push(ev('c', T0 + 500));
    await h.repair.poll();
    expect(h.delivered).toEqual(['a', 'b', 'late', 'c']);
  });

  it('reads by the database clock, so an event stamped by a node whose clock runs behind is delivered', async () => {
    const stored: LoggedDeviceEvent[] = [];
    const h = harness(stored);
    await h.repair.poll();
    h.advance(1_000);
    // The receiving node's clock is 30 s behind: by received_at the event is far older than any cursor.
    stored.push(ev('sos', T0 + 600, T0 + 600 - 30_000));
    await h.repair.poll();
    expect(h.delivered).toEqual(['sos']);
  });

  it('starts each read the margin before the database clock at the previous read', async () => {
    const h = harness([]);
    await h.repair.poll();
    h.advance(1_000);
    await h.repair.poll();
    expect(h.reads.map((r) => r.since)).toEqual([T0 - 5_000, T0 - 5_000]);
    h.advance(1_000);
    await h.repair.poll();
    expect(h.reads[2].since).toBe(T0 + 1_000 - 5_000);
  });

  it('after reads that failed (the database away), reads from where the last completed read left off', async () => {
    const stored: LoggedDeviceEvent[] = [];
    const h = harness(stored);
    await h.repair.poll();
    h.setDatabaseAway(true);
    for (let i = 0; i < 60; i++) {
      h.advance(1_000);
      await h.repair.poll();
    }
    // Stored just after the last completed read, when the database came back for the writers first.
    stored.push(ev('sos', T0 + 200));
    h.setDatabaseAway(false);
    await h.repair.poll();
    expect(h.reads.at(-1)!.since).toBe(T0 - 5_000);
    expect(h.delivered).toEqual(['sos']);
  });

  it('does not deliver what this node already met on another path (its own ingest, the fast path)', async () => {
    const stored = [ev('a', T0 - 100)];
    const h = harness(stored);
    expect(h.repair.firstSight(stored[0])).toBe(true);
    expect(h.repair.firstSight(stored[0])).toBe(false);
    await h.repair.poll();
    expect(h.delivered).toEqual([]);
    // Met but not evaluated after all (the lease was not vouched for at that moment): read again.
    h.repair.unsee(stored[0]);
    await h.repair.poll();
    expect(h.delivered).toEqual(['a']);
  });

  it('an event read before the fast path brings it is evaluated once, by the read, not dropped by both', async () => {
    const stored = [ev('sos', T0 - 100)];
    const h = harness(stored);
    await h.repair.poll();
    expect(h.delivered).toEqual(['sos']);
    // The same event then arrives on the fast path: a repeat.
    expect(h.repair.firstSight(stored[0])).toBe(false);
  });

  it('remembers a met event while a read can return it, and forgets it after', async () => {
    const a = ev('a', T0 - 100);
    const h = harness([a]);
    h.repair.firstSight(a);
    for (let i = 0; i < 8; i++) {
      h.advance(1_000);
      await h.repair.poll();
    }
    expect(h.repair.firstSight(a)).toBe(false);
    for (let i = 0; i < 4; i++) {
      h.advance(1_000);
      await h.repair.poll();
    }
    // Twelve seconds on, no read starts before it was stored: the memory of it is gone.
    expect(h.reads.at(-1)!.since).toBeGreaterThan(a.storedAt!);
    expect(h.repair.firstSight(a)).toBe(true);
  });

  it('reads page after page when more events were stored than one page holds', async () => {
    const stored = Array.from({ length: 4_500 }, (_, i) => ev(`e${i}`, T0 - 4_500 + i));
    const h = harness(stored);
    await h.repair.poll();
    expect(h.delivered).toHaveLength(4_500);
    expect(new Set(h.delivered).size).toBe(4_500);
    expect(h.reads.length).toBeGreaterThanOrEqual(3);
  });
});
