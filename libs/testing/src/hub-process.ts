import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchHub, type HubLaunchOptions, type LaunchedHub } from './hub-launcher';
import { seedPglite } from './pglite-template';

export interface HubProcess extends Omit<LaunchedHub, 'stop'> {
  /** SIGTERM and wait (graceful shutdown). */
  stop: () => Promise<void>;
  /** stop() and remove the data directory. */
  dispose: () => Promise<void>;
}

/**
 * The built hub (`npm run build` first) on random loopback ports with a temp data directory, for
 * tests: `env` is added to its environment (DATA_DIR there keeps the folder after dispose()).
 * `readyTimeoutMs` for a hub that starts slower than usual (e.g. under libfaketime).
 */
export async function startHub(
  env: Record<string, string> = {},
  options: Pick<HubLaunchOptions, 'readyTimeoutMs'> = {},
): Promise<HubProcess> {
  let dataDir = env.DATA_DIR;
  if (!dataDir && !env.DATABASE_URL) {
    // On PGlite: a copy of an initialised empty cluster, not a fresh initdb per hub.
    dataDir = mkdtempSync(join(tmpdir(), 'bedside-hub-'));
    await seedPglite(dataDir);
  }
  const hub = await launchHub({ env, dataDir, readyTimeoutMs: options.readyTimeoutMs });
  const sigterm = hub.stop;
  return Object.assign(hub, {
    stop: () => sigterm(),
    async dispose() {
      await sigterm();
      if (!env.DATA_DIR) rmSync(hub.dataDir, { recursive: true, force: true });
    },
  });
}
