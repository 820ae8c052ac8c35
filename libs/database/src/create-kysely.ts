import { AsyncResource } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { MIGRATIONS } from './migrations';
import type { DB } from './schema';

// int8 (bigint) as a JS number: our counters and sequences stay below 2^53.
const INT8_OID = 20;
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

export interface DatabaseTarget {
  /** PostgreSQL connection string; without it, PGlite stores data under dataDir. */
  url?: string;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** An idle pooled connection is closed after this (default 10 s). */
  poolIdleMs?: number;
  /**
   * PostgreSQL ends a session left idle inside a transaction this long. Clustered, a frozen
   * process must not keep a lease row locked (and its successor waiting) for ever.
   */
  idleInTransactionMs?: number;
  onConnectionError?: (err: Error) => void;
}

export function createKysely(target: DatabaseTarget): { db: Kysely<DB>; engine: 'postgres' | 'pglite' } {
  if (target.url) {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      idleTimeoutMillis: target.poolIdleMs ?? 10_000,
      ...(target.idleInTransactionMs && {
        options: `-c idle_in_transaction_session_timeout=${Math.round(target.idleInTransactionMs)}`,
      }),
    });
    // Bound to this (boot-time) async context: a connection's events otherwise run in the context
    // of the request that opened it, and the request-scoped logger would tag the report with it.
    const report = AsyncResource.bind((err: Error) => target.onConnectionError?.(err));
    // An idle client losing its server (restart, failover) is reported here; without a
    // listener the process would crash. The next query opens a fresh connection.
    pool.on('error', report);
    // A client checked out between two statements of a transaction (idle in JS, not in a
    // query) emits 'error' on itself when the server goes, and pg-pool listens only to idle
    // ones: without this the hub died mid-outage. The transaction's next statement fails and
    // is handled (nothing acknowledged, the device retransmits).
    pool.on('connect', (client) => client.on('error', report));
    return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), engine: 'postgres' };
  }
  const dir = resolve(target.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(join(dir), { parsers: { [INT8_OID]: (v: string) => Number(v) } });
  return { db: new Kysely<DB>({ dialect: new PGliteDialect(pglite) }), engine: 'pglite' };
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return (results ?? []).map((r) => r.migrationName);
}
