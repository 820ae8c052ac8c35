import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, createKysely, migrateToLatest } from '@bedside/database';
import { startPostgres, type PostgresServer } from './postgres-server';

/** One way of getting a fresh, migrated hub database; `close` removes everything it made. */
export interface TestDatabaseEngine {
  name: 'pglite' | 'postgresql';
  open(): Promise<Database>;
  close(): Promise<void>;
}

/**
 * The same suite against embedded PGlite (temp folder) and a real PostgreSQL server started for
 * it: `describe.each(testDatabaseEngines('alarms'))('… on $name', (engine) => …)`.
 */
export function testDatabaseEngines(label: string): TestDatabaseEngine[] {
  let dir: string | null = null;
  let server: PostgresServer | null = null;
  let database: Database | null = null;
  const closeDatabase = async () => {
    await database?.close();
    database = null;
  };
  return [
    {
      name: 'pglite',
      async open() {
        dir = mkdtempSync(join(tmpdir(), `bedside-${label}-`));
        const { db, engine } = createKysely({ dataDir: dir });
        await migrateToLatest(db);
        return (database = new Database(db, engine));
      },
      async close() {
        await closeDatabase();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    },
    {
      name: 'postgresql',
      async open() {
        server = await startPostgres();
        const { db, engine } = createKysely({
          url: await server.createDatabase(label.replace(/\W/g, '_')),
          dataDir: tmpdir(),
        });
        await migrateToLatest(db);
        return (database = new Database(db, engine));
      },
      async close() {
        await closeDatabase();
        await server?.stop();
      },
    },
  ];
}
