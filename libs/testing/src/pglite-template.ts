import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './hub-launcher';

const run = promisify(execFile);

/**
 * An empty PGlite cluster (initdb only: no schema, no rows) made once per PGlite version and
 * copied into each test hub's data folder. Creating one costs ~2.7 s of WASM initdb, opening a
 * copy ~0.25 s; the hub still applies every migration and creates its administrator itself.
 */
async function template(): Promise<string> {
  const { version } = JSON.parse(
    readFileSync(join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  const dir = join(tmpdir(), `bedside-pglite-initdb-${version}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const fresh = mkdtempSync(join(tmpdir(), 'bedside-pglite-initdb-new-'));
  // In a child: the package is ESM with its own WASM loading, outside the test runner's module system.
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { PGlite } from '@electric-sql/pglite'; const db = new PGlite(${JSON.stringify(fresh)}); await db.waitReady; await db.close();`,
    ],
    { cwd: REPO_ROOT },
  );
  try {
    renameSync(fresh, dir); // atomic: a worker doing the same at once either wins or finds it there
  } catch {
    rmSync(fresh, { recursive: true, force: true });
  }
  return dir;
}

/** Puts an empty, initialised PGlite cluster where the hub opens its database in `dataDir`. */
export async function seedPglite(dataDir: string): Promise<void> {
  cpSync(await template(), join(dataDir, 'pglite'), { recursive: true });
}
