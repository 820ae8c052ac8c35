import { rmSync } from 'node:fs';
import { launchHub, type HubLaunchOptions, type LaunchedHub } from './hub-launcher';

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
  const hub = await launchHub({ env, dataDir: env.DATA_DIR, readyTimeoutMs: options.readyTimeoutMs });
  const sigterm = hub.stop;
  return Object.assign(hub, {
    stop: () => sigterm(),
    async dispose() {
      await sigterm();
      if (!env.DATA_DIR) rmSync(hub.dataDir, { recursive: true, force: true });
    },
  });
}
