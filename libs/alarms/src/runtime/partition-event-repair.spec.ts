import type { LoggedDeviceEvent } from '../persistence/bed-context.repository';
import { PartitionEventRepair } from './partition-event-repair';

const T0 = Date.parse('2026-03-01T02:00:00Z');
const ev = (eventId: string, receivedAt: number, bedId = 'bed-1'): LoggedDeviceEvent => ({
  deviceId: 'button-1',
  kind: 'button',
  bedId,
  eventId,
  type: 'button.pressed',
  ts: receivedAt,
  receivedAt,
});

function harness(stored: LoggedDeviceEvent[]) {
  const delivered: string[] = [];
  const reads: { partitions: readonly number[]; since: number }[] = [];
  let now = T0;
  // As the rules runner does: an input is evaluated the first time the node meets it.
  const repair: PartitionEventRepair = new PartitionEventRepair({
    read: (partitions, since, limit) => {
      reads.push({ partitions, since });
      return Promise.resolve(
        stored
          .filter((e) => e.receivedAt >= since)
          .sort((a, b) => a.receivedAt - b.receivedAt)
          .slice(0, limit),
      );
    },
    held: () => [2, 9],
    deliver: (e) => {
      if (repair.firstSight(e)) delivered.push(e.eventId);
    },
    now: () => now,
    onError: (err) => {
      throw err;
    },
  });
  return { repair, delivered, reads, advance: (ms: number) => (now += ms) };
}

describe('PartitionEventRepair', () => {
  it('delivers each stored event of the held partitions once, also when a later read returns it again', async () => {
    const stored = [ev('a', T0 + 100), ev('b', T0 + 200)];
    const h = harness(stored);
    await h.repair.poll();
    expect(h.delivered).toEqual(['a', 'b']);
    expect(h.reads[0].partitions).toEqual([2, 9]);
    // Committed late with an earlier receive time: within the margin, so the next read finds it.
    stored.push(ev('late', T0 + 150));
    stored.push(ev('c', T0 + 300));
    await h.repair.poll();
    expect(h.delivered).toEqual(['a', 'b', 'late', 'c']);
  });

  it('does not deliver what this node already met on another path (its own ingest, the fast path)', async () => {
    const stored = [ev('a', T0 + 100)];
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
    const stored = [ev('sos', T0 + 100)];
    const h = harness(stored);
    await h.repair.poll();
    expect(h.delivered).toEqual(['sos']);
    // The same event then arrives on the fast path: a repeat.
    expect(h.repair.firstSight(stored[0])).toBe(false);
  });

  it('reads page after page when more events were stored than one page holds', async () => {
    const stored = Array.from({ length: 4_500 }, (_, i) => ev(`e${i}`, T0 + i));
    const h = harness(stored);
    await h.repair.poll();
    expect(h.delivered).toHaveLength(4_500);
    expect(new Set(h.delivered).size).toBe(4_500);
    expect(h.reads.length).toBeGreaterThanOrEqual(3);
  });

  it('reads from a little before the newest event seen, not from the start', async () => {
    const stored = [ev('a', T0 + 60_000)];
    const h = harness(stored);
    await h.repair.poll();
    await h.repair.poll();
    expect(h.reads[1].since).toBe(T0 + 60_000 - 5_000);
  });
});
