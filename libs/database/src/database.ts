import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from './schema';

/** The hub's SQL database (PGlite or PostgreSQL). Repositories take this, never a pool. */
export class Database {
  constructor(
    readonly db: Kysely<DB>,
    readonly engine: 'postgres' | 'pglite',
  ) {}

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
