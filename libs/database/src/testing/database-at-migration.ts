import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import { createKysely } from '../create-kysely';
import { MIGRATIONS } from '../migrations';
import type { DB } from '../schema';

/**
 * An embedded database in a temporary folder, migrated up to and including `migration`, for a
 * spec that fills it as an older release left it and then runs the migrations after it.
 */
export async function databaseAtMigration(migration: string): Promise<{ db: Kysely<DB>; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `bedside-migration-${migration.slice(0, 4)}-`));
  const db = createKysely({ dataDir: dir }).db;
  const close = async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
  }).migrateTo(migration);
  if (error) {
    await close();
    throw error instanceof Error ? error : new Error(JSON.stringify(error));
  }
  return { db, close };
}
