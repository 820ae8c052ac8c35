// PGlite's CommonJS build loads its files with a dynamic import(), which Jest's module runtime
// refuses without --experimental-vm-modules; its ESM build, compiled by SWC like our code, works.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKysely, Database, migrateToLatest } from '@bedside/database';
import { startPostgres, type PostgresServer } from '@bedside/testing';
import { SqlTelemetryStore } from '../src/sql-telemetry.store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

describeTelemetryStoreContract('SQL on PGlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bedside-telemetry-pglite-'));
  const { db, engine } = createKysely({ dataDir: dir });
  await migrateToLatest(db);
  const database = new Database(db, engine);
  const store = new SqlTelemetryStore(database);
  return {
    store,
    async teardown() {
      await store.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeTelemetryStoreContract('SQL on PostgreSQL', async () => {
  const pg: PostgresServer = await startPostgres();
  try {
    const url = await pg.createDatabase('telemetry_contract');
    const { db, engine } = createKysely({ url, dataDir: tmpdir() });
    await migrateToLatest(db);
    const database = new Database(db, engine);
    const store = new SqlTelemetryStore(database);
    return {
      store,
      async teardown() {
        await store.close();
        await database.close();
        await pg.stop();
      },
    };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}, { timeoutMs: 60_000 });
