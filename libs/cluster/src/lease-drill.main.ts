import 'reflect-metadata';
import { DomainError, SystemClock } from '@bedside/common';
import { ConfigError, loadConfig } from '@bedside/config';
import { Database, createKysely } from '@bedside/database';
import { sql } from 'kysely';
import { LeaseManager } from './lease-manager';
import { LeaseRepository } from './lease.repository';
import { NodeLivenessLock } from './node-lock.repository';
import { assertPartitionEpoch, type FenceToken } from './partition-fence';

/**
 * Failover drill: a process that holds partition leases exactly as a clustered hub node does
 * (same config keys, same manager) and writes one row per owned partition through the fence
 * every 200 ms into cluster_drill_writes. Kill it, freeze it, drain it, and read the table:
 * who wrote each partition, at which epoch, and whether a former owner ever wrote after its
 * successor. On SIGCONT it replays the writes it had prepared before it froze, as a node that
 * froze mid-write does when it wakes: the fence must refuse them.
 *
 * Output: one JSON line per lease change and per refused write, on stdout.
 */
const WRITE_EVERY_MS = 200;

function out(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: Date.now(), ...fields })}\n`);
}

async function main(): Promise<void> {
  let env;
  try {
    env = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  if (!env.CLUSTER_NODE_ID || !env.DATABASE_URL) {
    process.stderr.write('the drill needs CLUSTER_NODE_ID and DATABASE_URL\n');
    process.exit(78);
  }
  const nodeId = env.CLUSTER_NODE_ID;
  // A transaction left open by a frozen process holds its lease row FOR SHARE; PostgreSQL ends
  // it after this so the takeover is not held up past the TTL (as the hub's pool does).
  const { db, engine } = createKysely({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: 4,
    idleInTransactionMs: env.CLUSTER_LEASE_TTL_MS / 2,
  });
  const database = new Database(db, engine);
  await sql`create table if not exists cluster_drill_writes (
    partition integer not null, epoch bigint not null, node text not null, at timestamptz not null default clock_timestamp())`.execute(
    db,
  );
  const manager = new LeaseManager(
    new LeaseRepository(database),
    new NodeLivenessLock(env.DATABASE_URL, (err) => out({ msg: 'liveness lost', err: err.message })),
    new SystemClock(),
    {
      nodeId,
      partitions: env.CLUSTER_PARTITIONS,
      ttlMs: env.CLUSTER_LEASE_TTL_MS,
      maxClockSkewMs: env.CLUSTER_MAX_CLOCK_SKEW_MS,
    },
  );
  manager.addListener({
    acquired: (partition, epoch) => out({ msg: 'acquired', node: nodeId, partition, epoch }),
    released: (partition, epoch, reason) => out({ msg: 'released', node: nodeId, partition, epoch, reason }),
  });

  const write = async (token: FenceToken): Promise<void> => {
    try {
      await db.transaction().execute(async (trx) => {
        await assertPartitionEpoch(trx, token);
        await sql`insert into cluster_drill_writes (partition, epoch, node) values (${token.partition}, ${token.epoch}, ${token.node})`.execute(
          trx,
        );
      });
    } catch (err) {
      const code = err instanceof DomainError ? err.code : 'ERROR';
      out({ msg: 'write refused', ...token, code, err: (err as Error).message });
    }
  };
  // The writes of the current round, prepared before they are sent: what a freeze interrupts.
  let prepared: FenceToken[] = [];
  let lastPrepared: FenceToken[] = [];
  const round = async () => {
    prepared = manager.heldPartitions().flatMap((partition) => {
      const epoch = manager.epochOf(partition);
      return epoch === undefined ? [] : [{ node: nodeId, partition, epoch }];
    });
    if (prepared.length) lastPrepared = prepared;
    await Promise.all(prepared.map(write));
  };
  let writing = true;
  const writer = (async () => {
    while (writing) {
      await round();
      await new Promise((r) => setTimeout(r, WRITE_EVERY_MS));
    }
  })();
  process.on('SIGCONT', () => {
    const replay = lastPrepared;
    out({ msg: 'resumed', node: nodeId, replaying: replay.length });
    void Promise.all(replay.map(write)).then(() => out({ msg: 'replayed', node: nodeId }));
  });
  process.once('SIGTERM', () => {
    void (async () => {
      writing = false;
      await writer;
      await manager.drain();
      out({ msg: 'drained', node: nodeId });
      await manager.stop();
      await database.close();
      process.exit(0);
    })();
  });

  await manager.start();
  out({ msg: 'started', node: nodeId, held: manager.heldPartitions().length });
}

void main();
