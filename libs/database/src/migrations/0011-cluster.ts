import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Clustered mode: every bed belongs to one of a fixed number of partitions, and each partition
 * is owned by one node through a lease with an epoch (a fencing token: it grows at every change
 * of owner, and a write checks it in its own transaction). The node list carries each live
 * node's advisory-lock key: a node holds that session lock while it runs, so its crash is seen
 * as soon as PostgreSQL drops its connection. Single-process mode never reads these tables.
 */
export const cluster: Migration = {
  async up(db: Kysely<unknown>) {
    // md5 is the same in SQL and in Node (libs/cluster partition-of.ts): the first 32 bits of
    // the id's digest, modulo the partition count.
    await sql`
      create function bed_partition(bed uuid, partitions integer) returns integer
      language sql immutable strict parallel safe
      as $$ select (('x' || substr(md5(bed::text), 1, 8))::bit(32)::bigint % partitions)::integer $$
    `.execute(db);
    await db.schema
      .createTable('cluster_config')
      .addColumn('id', 'boolean', (c) =>
        c
          .primaryKey()
          .defaultTo(true)
          .check(sql`id`),
      )
      .addColumn('partitions', 'integer', (c) => c.notNull().check(sql`partitions between 1 and 4096`))
      .execute();
    await sql`insert into cluster_config (id, partitions) values (true, 64)`.execute(db);

    await sql`alter table beds add column partition integer`.execute(db);
    await sql`update beds set partition = bed_partition(id, 64)`.execute(db);
    await sql`alter table beds alter column partition set not null`.execute(db);
    // Set on insert from the cluster's partition count, whoever inserts the bed.
    await sql`
      create function beds_set_partition() returns trigger language plpgsql as $$
      begin
        new.partition := bed_partition(new.id, (select partitions from cluster_config));
        return new;
      end $$
    `.execute(db);
    await sql`create trigger beds_partition before insert on beds for each row execute function beds_set_partition()`.execute(
      db,
    );
    await db.schema.createIndex('beds_partition_idx').on('beds').column('partition').execute();

    await db.schema
      .createTable('cluster_nodes')
      .addColumn('node_id', 'text', (c) => c.primaryKey())
      // Second key of pg_advisory_lock(int, int) held by the node's liveness session.
      .addColumn('lock_key', 'integer', (c) => c.notNull().unique())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      // Written every tick: a node that holds its lock but stopped ticking (frozen) is not
      // counted when shares are computed, so its partitions are taken once they expire.
      .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull())
      .addColumn('draining', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
    await sql`create sequence cluster_node_lock_key as integer`.execute(db);

    await db.schema
      .createTable('partition_leases')
      .addColumn('partition', 'integer', (c) => c.primaryKey())
      .addColumn('owner_node', 'text')
      .addColumn('epoch', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('claimed_at', 'timestamptz')
      .execute();
  },
};
