import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface HubProcess {
  httpUrl: string;
  mqttUrl: string;
  mqttPort: number;
  httpPort: number;
  dataDir: string;
  admin: { username: string; password: string };
  /** Authorization header value for the bootstrap admin. */
  authHeader: string;
  proc: ChildProcess;
  logs(): string;
  /** SIGTERM and wait (graceful shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait (crash). */
  kill(): Promise<void>;
  /** Start again on the same ports and data directory. */
  restart(): Promise<void>;
  /** stop() and remove the data directory. */
  dispose(): Promise<void>;
}

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'dist/apps/hub/src/main.js');

/**
 * Runs the built hub (`npm run build` first) as its own process on random loopback ports with
 * a temp data directory: what a user runs, reached over real TCP.
 */
export async function startHub(env: Record<string, string> = {}): Promise<HubProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'bedside-hub-'));
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const admin = { username: 'admin', password: 'test-admin-password' };
  let output = '';
  let proc!: ChildProcess;

  const launch = async () => {
    proc = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        MQTT_PORT: String(mqttPort),
        DATA_DIR: dataDir,
        ADMIN_USERNAME: admin.username,
        ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (d) => (output += d.toString()));
    proc.stderr?.on('data', (d) => (output += d.toString()));
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`hub exited with ${proc.exitCode}:\n${output.slice(-4000)}`);
        const res = await fetch(`http://127.0.0.1:${httpPort}/health`);
        return res.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'hub /health' },
    );
  };
  const waitExit = (signal: NodeJS.Signals) =>
    new Promise<void>((r) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return r();
      proc.once('exit', () => r());
      proc.kill(signal);
    });

  await launch();
  const hub: HubProcess = {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    mqttPort,
    httpPort,
    dataDir,
    admin,
    authHeader: 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64'),
    get proc() {
      return proc;
    },
    logs: () => output,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    restart: launch,
    async dispose() {
      await waitExit('SIGTERM');
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return hub;
}
