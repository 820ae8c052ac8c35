import { DomainError } from '@bedside/common';
import type { DB, Database } from '@bedside/database';
import { sql, type Kysely } from 'kysely';
import type { LeaseView } from './lease-plan';

/** First key of every node's liveness lock, pg_advisory_lock(int, int): "BEDS". */
export const NODE_LOCK_NAMESPACE = 0x42454453;

/** Which leases a node holds, with the epoch it claimed each at. */
export type HeldLeases = ReadonlyMap<number, number>;

export interface ClusterSnapshot {
  /** The database's clock (epoch ms): lease expiry is judged by it, never by a node's. */
  dbNow: number;
  /** Nodes whose liveness lock is held, that ticked within the TTL and are not draining. */
  liveNodes: string[];
  leases: LeaseView[];
}

/** A lease round: the snapshot, and which of the node's leases it renewed. */
export interface ClusterRound extends ClusterSnapshot {
  renewed: number[];
}

export interface ClaimedLease {
  partition: number;
  epoch: number;
}

// A lease's owner is alive while its liveness session holds its advisory lock in this database.
const ownerAlive = sql<boolean>`exists (
  select 1 from cluster_nodes n
  join pg_locks l on l.locktype = 'advisory' and l.granted and l.objsubid = 2
    and l.classid::bigint = ${sql.lit(NODE_LOCK_NAMESPACE)} and l.objid::bigint = n.lock_key
    and l.database = (select oid from pg_database where datname = current_database())
  where n.node_id = partition_leases.owner_node)`;

// Node `n` (cluster_nodes) holds its liveness lock: its session is alive.
const nodeLockHeld = sql<boolean>`exists (
  select 1 from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 2
    and l.classid::bigint = ${sql.lit(NODE_LOCK_NAMESPACE)} and l.objid::bigint = n.lock_key
    and l.database = (select oid from pg_database where datname = current_database()))`;

/** Partition leases and the node list in PostgreSQL (clustered mode only). */
export class LeaseRepository {
  constructor(private readonly database: Database) {}

  private get db(): Kysely<DB> {
    return this.database.db;
  }

  /**
   * Creates the lease rows for `partitions`. The count is fixed once any lease has been claimed:
   * changing it later would move beds between partitions under their owners' feet.
   */
  async ensurePartitions(partitions: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const config = await trx.selectFrom('cluster_config').select('partitions').forUpdate().executeTakeFirstOrThrow();
      if (config.partitions !== partitions) {
        const used = await trx
          .selectFrom('partition_leases')
          .select('partition')
          .where('epoch', '>', 0)
          .limit(1)
          .executeTakeFirst();
        if (used) {
          throw new DomainError(
            'CONFLICT',
            `CLUSTER_PARTITIONS=${partitions} but this database's cluster runs ${config.partitions} partitions; the count is fixed once a cluster has run`,
            { configured: partitions, database: config.partitions },
          );
        }
        await trx.updateTable('cluster_config').set({ partitions }).execute();
        await sql`update beds set partition = bed_partition(id, ${partitions})`.execute(trx);
        await trx.deleteFrom('partition_leases').execute();
      }
      await sql`
        insert into partition_leases (partition, owner_node, epoch, expires_at)
        select g, null, 0, '-infinity' from generate_series(0, ${partitions - 1}) g
        on conflict (partition) do nothing`.execute(trx);
    });
  }

  /** Adds or refreshes the node's row; answers the key of its liveness lock. */
  async registerNode(nodeId: string): Promise<number> {
    const row = await this.db
      .insertInto('cluster_nodes')
      .values({
        node_id: nodeId,
        lock_key: sql<number>`nextval('cluster_node_lock_key')`,
        started_at: sql`now()`,
        heartbeat_at: sql`now()`,
      })
      .onConflict((oc) =>
        oc.column('node_id').doUpdateSet({ started_at: sql`now()`, heartbeat_at: sql`now()`, draining: false }),
      )
      .returning('lock_key')
      .executeTakeFirstOrThrow();
    return row.lock_key;
  }

  async setDraining(nodeId: string, draining: boolean): Promise<void> {
    await this.db.updateTable('cluster_nodes').set({ draining }).where('node_id', '=', nodeId).execute();
  }

  /** `ttlMs`: a node that has not ticked for this long is not counted as live. */
  async snapshot(ttlMs: number): Promise<ClusterSnapshot> {
    const [now, nodes, leases] = await Promise.all([
      sql<{ now: Date }>`select now() as now`.execute(this.db),
      sql<{ node_id: string }>`
        select n.node_id from cluster_nodes n
        where not n.draining and n.heartbeat_at > now() - make_interval(secs => ${ttlMs / 1000})
          and ${nodeLockHeld}`.execute(this.db),
      this.db
        .selectFrom('partition_leases')
        .select(['partition', 'owner_node', 'epoch', 'expires_at'])
        .orderBy('partition')
        .execute(),
    ]);
    return {
      dbNow: now.rows[0].now.getTime(),
      liveNodes: nodes.rows.map((r) => r.node_id),
      leases: leases.map((l) => ({
        partition: l.partition,
        owner: l.owner_node,
        epoch: Number(l.epoch),
        // '-infinity' comes back as an invalid date or -Infinity depending on the driver.
        expiresAt: Number.isFinite(new Date(l.expires_at).getTime()) ? new Date(l.expires_at).getTime() : -Infinity,
      })),
    };
  }

  /**
   * A node's whole lease round in one statement (one round trip, one transaction): renews the
   * leases still its own at the epochs it holds, writes its heartbeat, and reads the cluster as
   * `snapshot` does. The statement reads the tables as they were before its own updates, so its
   * renewed rows are read with their new expiry and the node itself counts as live (it is
   * ticking now), as if renewal, heartbeat and read had run one after the other.
   */
  async round(nodeId: string, held: HeldLeases, ttlMs: number): Promise<ClusterRound> {
    const ttl = sql`make_interval(secs => ${ttlMs / 1000})`;
    const r = await sql<{
      now: Date;
      renewed: number[];
      live: string[];
      leases: [number, string | null, number, number | null][];
    }>`
      with renewed as (
        update partition_leases p set expires_at = now() + ${ttl}
        from unnest(${[...held.keys()]}::int[], ${[...held.values()]}::bigint[]) as h(partition, epoch)
        where p.partition = h.partition and p.epoch = h.epoch and p.owner_node = ${nodeId}
        returning p.partition, p.expires_at),
      beat as (
        update cluster_nodes set heartbeat_at = now() where node_id = ${nodeId} returning node_id)
      select now() as now,
        (select coalesce(array_agg(partition), '{}') from renewed) as renewed,
        (select coalesce(array_agg(n.node_id), '{}') from cluster_nodes n
          where not n.draining and (n.heartbeat_at > now() - ${ttl} or n.node_id in (select node_id from beat))
            and ${nodeLockHeld}) as live,
        (select json_agg(json_build_array(l.partition, l.owner_node, l.epoch,
            case when e.at = '-infinity' then null else floor(extract(epoch from e.at) * 1000) end) order by l.partition)
          from partition_leases l
          left join renewed r on r.partition = l.partition
          cross join lateral (select coalesce(r.expires_at, l.expires_at) as at) e) as leases`.execute(this.db);
    const row = r.rows[0];
    return {
      dbNow: row.now.getTime(),
      renewed: row.renewed.map(Number),
      liveNodes: row.live,
      leases: (row.leases ?? []).map(([partition, owner, epoch, at]) => ({
        partition,
        owner,
        epoch: Number(epoch),
        expiresAt: at === null ? -Infinity : Number(at),
      })),
    };
  }

  /**
   * Claims those of `partitions` that are free, expired, owned by a node that is gone or left
   * over from this node's previous session, each with its epoch raised by one. A row a write holds FOR SHARE is skipped (next tick), never waited on.
   */
  async claim(nodeId: string, partitions: readonly number[], ttlMs: number): Promise<ClaimedLease[]> {
    if (partitions.length === 0) return [];
    const r = await sql<ClaimedLease>`
      update partition_leases p
      set owner_node = ${nodeId}, epoch = p.epoch + 1,
          expires_at = now() + make_interval(secs => ${ttlMs / 1000}), claimed_at = now()
      from (
        select partition from partition_leases
        where partition = any(${[...partitions]}::int[])
          and (owner_node is null or expires_at <= now() or owner_node = ${nodeId} or not ${ownerAlive})
        for update skip locked
      ) c
      where p.partition = c.partition
      returning p.partition, p.epoch`.execute(this.db);
    return r.rows.map((x) => ({ partition: x.partition, epoch: Number(x.epoch) }));
  }

  /** Extends the leases still the node's at the epochs it holds; answers those renewed. */
  async renew(nodeId: string, held: HeldLeases, ttlMs: number): Promise<number[]> {
    if (held.size === 0) return [];
    const r = await sql<{ partition: number }>`
      update partition_leases p
      set expires_at = now() + make_interval(secs => ${ttlMs / 1000})
      from unnest(${[...held.keys()]}::int[], ${[...held.values()]}::bigint[]) as h(partition, epoch)
      where p.partition = h.partition and p.epoch = h.epoch and p.owner_node = ${nodeId}
      returning p.partition`.execute(this.db);
    return r.rows.map((x) => x.partition);
  }

  /** Hands leases back at once (drain, rebalancing): free to claim, epochs kept. */
  async release(nodeId: string, held: HeldLeases): Promise<number[]> {
    if (held.size === 0) return [];
    const r = await sql<{ partition: number }>`
      update partition_leases p
      set owner_node = null, expires_at = '-infinity'
      from unnest(${[...held.keys()]}::int[], ${[...held.values()]}::bigint[]) as h(partition, epoch)
      where p.partition = h.partition and p.epoch = h.epoch and p.owner_node = ${nodeId}
      returning p.partition`.execute(this.db);
    return r.rows.map((x) => x.partition);
  }
}
