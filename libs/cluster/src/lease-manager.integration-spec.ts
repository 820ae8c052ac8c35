import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { SystemClock, DomainError } from '@bedside/common';
import { Database, createKysely, migrateToLatest } from '@bedside/database';
import { startPostgres, waitFor, type PostgresServer } from '@bedside/testing';
import { sql } from 'kysely';
import { LeaseManager } from './lease-manager';
import { LeaseRepository } from './lease.repository';
import { NodeLivenessLock } from './node-lock.repository';
import { assertPartitionEpoch } from './partition-fence';
import { partitionOf } from './partition-of';

const TTL_MS = 3000;
jest.setTimeout(60_000);

describe('partition leases on a real PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;
  let database: Database;
  let repo: LeaseRepository;
  const managers: LeaseManager[] = [];

  const node = async (nodeId: string, partitions = 64) => {
    const m = new LeaseManager(repo, new NodeLivenessLock(url, () => undefined), new SystemClock(), {
      nodeId,
      partitions,
      ttlMs: TTL_MS,
      tickMs: 250,
    });
    managers.push(m);
    await m.start();
    return m;
  };
  const owners = async () =>
    (await repo.snapshot(TTL_MS)).leases.map((l) => ({ partition: l.partition, owner: l.owner, epoch: l.epoch }));
  const countBy = (rows: { owner: string | null }[]) => {
    const c: Record<string, number> = {};
    for (const r of rows) c[r.owner ?? 'none'] = (c[r.owner ?? 'none'] ?? 0) + 1;
    return c;
  };

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase('cluster_leases');
    const { db, engine } = createKysely({ url, dataDir: tmpdir() });
    await migrateToLatest(db);
    database = new Database(db, engine);
    repo = new LeaseRepository(database);
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) await m.stop();
    await sql`truncate partition_leases, cluster_nodes`.execute(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await server?.stop();
  });

  it('stores on every bed the partition Node computes for it', async () => {
    const org = await database.db
      .insertInto('organisations')
      .values({ id: randomUUID(), name: 'o' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hh = await database.db
      .insertInto('households')
      .values({
        id: randomUUID(),
        organisation_id: org.id,
        name: 'h',
        address: 'a',
        time_zone: 'Asia/Shanghai',
        contacts: JSON.stringify([]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids = Array.from({ length: 50 }, () => randomUUID());
    await database.db
      .insertInto('beds')
      .values(ids.map((id) => ({ id, household_id: hh.id, label: id.slice(0, 6), resident_id: null })))
      .execute();
    const rows = await database.db.selectFrom('beds').select(['id', 'partition']).execute();
    expect(rows).toHaveLength(50);
    for (const r of rows) expect(r.partition).toBe(partitionOf(r.id, 64));
  });

  it('one round renews at the held epochs only, writes the heartbeat and reads the renewed expiry', async () => {
    const a = await node('node-a', 64);
    const held = new Map(a.heldPartitions().map((p) => [p, a.epochOf(p)!]));
    await a.stop(); // no ticks of its own from here: only the rounds below touch the rows
    await sql`update cluster_nodes set heartbeat_at = now() - interval '1 hour'`.execute(database.db);
    await sql`update partition_leases set expires_at = now() + interval '2 seconds'`.execute(database.db);
    // Partition 0 was taken over meanwhile (a newer epoch): not renewed, its row left alone.
    await sql`update partition_leases set epoch = epoch + 1 where partition = 0`.execute(database.db);
    const lock = new NodeLivenessLock(url, () => undefined);
    const key = await repo.registerNode('node-a');
    expect(await lock.acquire(key)).toBe(true);
    await sql`update cluster_nodes set heartbeat_at = now() - interval '1 hour'`.execute(database.db);
    try {
      const r = await repo.round('node-a', held, 60_000);
      expect(r.renewed.sort((x, y) => x - y)).toEqual([...held.keys()].filter((p) => p !== 0));
      // Counted live although its stored heartbeat was an hour old: the round itself is its heartbeat.
      expect(r.liveNodes).toEqual(['node-a']);
      const byPartition = new Map(r.leases.map((l) => [l.partition, l]));
      expect(r.leases).toHaveLength(64);
      expect(byPartition.get(1)!.expiresAt).toBeGreaterThan(r.dbNow + 50_000);
      expect(byPartition.get(0)!.expiresAt).toBeLessThan(r.dbNow + 3_000);
      expect(byPartition.get(0)!.epoch).toBe(held.get(0)! + 1);
      const after = await repo.snapshot(TTL_MS);
      expect(after.liveNodes).toEqual(['node-a']);
      expect(
        Math.abs(after.leases.find((l) => l.partition === 1)!.expiresAt - byPartition.get(1)!.expiresAt),
      ).toBeLessThanOrEqual(1);
      // A node whose liveness session is gone is not live, whatever its heartbeat.
      await lock.close();
      expect((await repo.round('node-a', new Map(), 60_000)).liveNodes).toEqual([]);
    } finally {
      await lock.close();
    }
  });

  it('three nodes share 64 partitions evenly, each owned exactly once', async () => {
    await Promise.all(['node-a', 'node-b', 'node-c'].map((n) => node(n)));
    const rows = await waitFor(
      async () => {
        const r = await owners();
        const c = countBy(r);
        return c['node-a'] === 22 && c['node-b'] === 21 && c['node-c'] === 21 ? r : null;
      },
      { timeoutMs: 10_000, what: 'an even split 22/21/21' },
    );
    for (const m of managers) {
      const mine = rows.filter((r) => r.owner === m.nodeId).map((r) => r.partition);
      expect(m.heldPartitions()).toEqual(mine);
      for (const p of mine) expect(m.epochOf(p)).toBe(rows[p].epoch);
    }
  });

  it('a node that joins later is given its share by handover, without double ownership', async () => {
    const a = await node('node-a');
    await node('node-b');
    await waitFor(async () => countBy(await owners())['node-b'] === 32, { timeoutMs: 10_000, what: '32/32' });
    expect(a.heldPartitions()).toHaveLength(32);
    await node('node-c');
    await waitFor(
      async () => {
        const c = countBy(await owners());
        return c['node-a'] === 22 && c['node-b'] === 21 && c['node-c'] === 21;
      },
      { timeoutMs: 10_000, what: 'rebalanced to 22/21/21' },
    );
    // No partition is vouched for by two managers at once.
    const claims = managers.flatMap((m) => m.heldPartitions());
    expect(new Set(claims).size).toBe(claims.length);
  });

  it('a node whose session ends loses its partitions to the others within ~2 s, at higher epochs', async () => {
    const [a] = await Promise.all(['node-a', 'node-b', 'node-c'].map((n) => node(n)));
    await waitFor(
      async () => {
        const c = countBy(await owners());
        return c['node-a'] === 22 && c['node-b'] === 21 && c['node-c'] === 21;
      },
      { timeoutMs: 10_000, what: 'an even split 22/21/21' },
    );
    const before = (await owners()).filter((r) => r.owner === 'node-a');
    expect(before).toHaveLength(22);
    // stop() renews nothing and ends the liveness session, as a crash would; leases stay in place.
    const t0 = Date.now();
    await a.stop();
    managers.splice(managers.indexOf(a), 1);
    const after = await waitFor(
      async () => {
        const r = await owners();
        return before.every((b) => r[b.partition].owner !== 'node-a' && r[b.partition].owner !== null) ? r : null;
      },
      { timeoutMs: 5000, intervalMs: 20, what: "node-a's partitions taken over" },
    );
    const took = Date.now() - t0;
    expect(took).toBeLessThan(2000);
    for (const b of before) expect(after[b.partition].epoch).toBe(b.epoch + 1);
    expect(countBy(after)).toEqual({ 'node-b': 32, 'node-c': 32 });
  });

  it('fencing: the former owner writes at its epoch until taken over, then is refused with a code', async () => {
    const a = await node('node-a', 64);
    await waitFor(() => a.heldPartitions().length === 64, { what: 'all partitions' });
    const epoch = a.epochOf(7)!;
    const token = { node: 'node-a', partition: 7, epoch };
    await database.db.transaction().execute((trx) => assertPartitionEpoch(trx, token));
    await a.stop();
    managers.splice(managers.indexOf(a), 1);
    const b = await node('node-b');
    await waitFor(() => b.epochOf(7) !== undefined, { what: 'node-b owns partition 7' });
    expect(b.epochOf(7)).toBe(epoch + 1);
    const err = await database.db
      .transaction()
      .execute((trx) => assertPartitionEpoch(trx, token))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      code: 'PARTITION_FENCED',
      details: { partition: 7, epoch, currentEpoch: epoch + 1, currentOwner: 'node-b' },
    });
  });

  it('a takeover waits for a write in flight: the claim skips a row held FOR SHARE', async () => {
    const a = await node('node-a', 64);
    await waitFor(() => a.heldPartitions().length === 64, { what: 'all partitions' });
    const token = { node: 'node-a', partition: 3, epoch: a.epochOf(3)! };
    let finish!: () => void;
    const inFlight = database.db.transaction().execute(async (trx) => {
      await assertPartitionEpoch(trx, token);
      await new Promise<void>((r) => (finish = r));
    });
    await waitFor(() => finish !== undefined, { what: 'write in flight' });
    await a.stop();
    managers.splice(managers.indexOf(a), 1);
    const b = await node('node-b');
    await waitFor(() => b.heldPartitions().length === 63, { what: 'the other 63' });
    expect(b.epochOf(3)).toBeUndefined();
    finish();
    await inFlight;
    await waitFor(() => b.epochOf(3) === token.epoch + 1, { what: 'partition 3 after the write ended' });
  });

  it('a draining node hands its leases over at once', async () => {
    const [, , c] = await Promise.all(['node-a', 'node-b', 'node-c'].map((n) => node(n)));
    await waitFor(
      async () => {
        const c = countBy(await owners());
        return c['node-a'] === 22 && c['node-b'] === 21 && c['node-c'] === 21;
      },
      { timeoutMs: 10_000, what: 'an even split 22/21/21' },
    );
    const t0 = Date.now();
    await c.drain();
    expect(c.heldPartitions()).toEqual([]);
    await waitFor(
      async () => {
        const n = countBy(await owners());
        return n['node-a'] === 32 && n['node-b'] === 32;
      },
      { timeoutMs: 5000, intervalMs: 20, what: "node-c's partitions handed over" },
    );
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('refuses a second live node with the same name, and a changed partition count once used', async () => {
    await node('node-a');
    const twin = new LeaseManager(repo, new NodeLivenessLock(url, () => undefined), new SystemClock(), {
      nodeId: 'node-a',
      partitions: 64,
      ttlMs: TTL_MS,
    });
    await expect(twin.start()).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(repo.ensurePartitions(32)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
