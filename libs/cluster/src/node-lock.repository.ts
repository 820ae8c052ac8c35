import pg from 'pg';
import { NODE_LOCK_NAMESPACE } from './lease.repository';

/**
 * The node's liveness session: one dedicated PostgreSQL connection holding a session-level
 * advisory lock for as long as the node runs. When the process dies, or its connection does,
 * PostgreSQL drops the lock and the other nodes take its partitions at their next tick, without
 * waiting for the lease TTL (a frozen process keeps its connection, so it waits for the TTL).
 */
export class NodeLivenessLock {
  private client: pg.Client | null = null;
  private lost = false;

  constructor(
    private readonly url: string,
    private readonly onLost: (err: Error) => void,
  ) {}

  /** True when the lock is now held; false when another live session holds it (same node id). */
  async acquire(lockKey: number): Promise<boolean> {
    await this.close();
    const client = new pg.Client({ connectionString: this.url, application_name: 'bedside-cluster-liveness' });
    this.lost = false;
    client.on('error', (err) => this.markLost(err));
    client.on('end', () => this.markLost(new Error('liveness connection ended')));
    await client.connect();
    const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [
      NODE_LOCK_NAMESPACE,
      lockKey,
    ]);
    if (!r.rows[0].ok) {
      client.removeAllListeners('end');
      await client.end();
      return false;
    }
    this.client = client;
    return true;
  }

  get held(): boolean {
    return this.client !== null && !this.lost;
  }

  /** Ends the session; PostgreSQL releases the lock with it. */
  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    c.removeAllListeners('end');
    await c.end().catch(() => undefined);
  }

  private markLost(err: Error): void {
    if (this.lost || this.client === null) return;
    this.lost = true;
    this.onLost(err);
  }
}
