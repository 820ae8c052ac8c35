import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from './free-port';

/** The checkout this file belongs to, whether it runs from source (ts) or from dist. */
const HERE = resolve(__dirname, '../../..');
export const REPO_ROOT = existsSync(join(HERE, 'package.json')) ? HERE : dirname(HERE);
/** The built hub (`npm run build` first). */
export const HUB_MAIN = join(REPO_ROOT, 'dist/apps/hub/src/main.js');

export interface HubLaunchOptions {
  /** Built hub entry point; default this checkout's (another checkout's for a revision bench). */
  main?: string;
  /** Working directory of the hub; default the checkout `main` belongs to. */
  cwd?: string;
  /** Default: a fresh temporary folder. */
  dataDir?: string;
  /** Default: two free loopback ports. */
  ports?: { http: number; mqtt: number };
  adminPassword?: string;
  /** Default `info`. */
  logLevel?: string;
  /** Node flags before the entry point. */
  nodeArgs?: string[];
  /** Environment beyond the base (ports, data folder, admin, log level); wins over it. */
  env?: Record<string, string>;
  /** Each chunk the hub writes to stdout or stderr. */
  onOutput?: (chunk: Buffer) => void;
  /** Characters of output kept for logs(); default all of it. */
  keepOutputChars?: number;
  /** Its own process group: a Ctrl-C in the terminal reaches only the launcher, which stops the hub itself. */
  detached?: boolean;
  /** SIGTERM the hub when this process exits without stopping it. */
  stopOnExit?: boolean;
  /** How long ready() waits for /health to answer 200; default 60 s. */
  readyTimeoutMs?: number;
}

export interface LaunchedHub {
  httpUrl: string;
  mqttUrl: string;
  httpPort: number;
  mqttPort: number;
  dataDir: string;
  admin: { username: string; password: string };
  /** Authorization header value for the bootstrap admin. */
  authHeader: string;
  /** The current process (a new one after restart()). */
  readonly proc: ChildProcess;
  /** What the hub wrote to stdout and stderr (the tail, with keepOutputChars). */
  logs: () => string;
  exited: () => boolean;
  /** `exit code N` or `signal X`. */
  exitDescription: () => string;
  /** Resolves once /health answers 200; rejects when the hub exits first or the wait times out. */
  ready: (signal?: AbortSignal) => Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs` when given; resolves once it exited. */
  stop: (graceMs?: number) => Promise<void>;
  /** SIGKILL (a crash) and wait. */
  kill: () => Promise<void>;
  /** Starts again on the same ports and data folder (stopping it first if it still runs), and waits until it is ready. */
  restart: () => Promise<void>;
}

/**
 * Runs the built hub as its own process on loopback ports with a data folder of its own: what a
 * user runs, reached over real TCP. The one launcher of tests, benchmarks and the demo.
 */
export async function spawnHub(o: HubLaunchOptions = {}): Promise<LaunchedHub> {
  const main = o.main ?? HUB_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'bedside-hub-'));
  const httpPort = o.ports?.http ?? (await freePort());
  let mqttPort = o.ports?.mqtt ?? (await freePort());
  while (mqttPort === httpPort) mqttPort = await freePort();
  const admin = { username: 'admin', password: o.adminPassword ?? 'test-admin-password' };
  const keep = o.keepOutputChars ?? Infinity;
  let output = '';
  let proc!: ChildProcess;

  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const exitDescription = () => (proc.signalCode ? `signal ${proc.signalCode}` : `exit code ${proc.exitCode}`);
  const killOnExit = () => proc.kill('SIGTERM');
  const start = () => {
    proc = spawn(process.execPath, [...(o.nodeArgs ?? []), main], {
      cwd: o.cwd ?? resolve(dirname(main), '../../../..'),
      env: {
        PATH: process.env.PATH ?? '',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        MQTT_PORT: String(mqttPort),
        DATA_DIR: dataDir,
        ADMIN_USERNAME: admin.username,
        ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: o.logLevel ?? 'info',
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: o.detached ?? false,
    });
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.length > keep) output = output.slice(-Math.floor(keep / 2));
      o.onOutput?.(d);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    if (o.stopOnExit) process.once('exit', killOnExit);
  };
  const signalAndWait = (signal: NodeJS.Signals, graceMs?: number) =>
    new Promise<void>((r) => {
      process.off('exit', killOnExit);
      if (exited()) return r();
      const timer = graceMs === undefined ? null : setTimeout(() => proc.kill('SIGKILL'), graceMs);
      proc.once('exit', () => {
        if (timer) clearTimeout(timer);
        r();
      });
      proc.kill(signal);
    });
  const ready = async (signal?: AbortSignal) => {
    // Generous: two test files each starting hubs on a busy 2-core machine; start time is not what tests measure.
    const timeoutMs = o.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    while (!signal?.aborted) {
      if (exited()) throw new Error(`the hub exited during start (${exitDescription()}):\n${output.slice(-4000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${httpPort}/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`the hub did not answer /health within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  start();
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    httpPort,
    mqttPort,
    dataDir,
    admin,
    authHeader: 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64'),
    get proc() {
      return proc;
    },
    logs: () => output,
    exited,
    exitDescription,
    ready,
    stop: (graceMs) => signalAndWait('SIGTERM', graceMs),
    kill: () => signalAndWait('SIGKILL'),
    async restart() {
      // Never two processes for one hub: a second would leave the first running unseen.
      if (!exited()) await signalAndWait('SIGTERM');
      start();
      await ready();
    },
  };
}

/** spawnHub, then wait until it is ready. */
export async function launchHub(o: HubLaunchOptions = {}): Promise<LaunchedHub> {
  const hub = await spawnHub(o);
  try {
    await hub.ready();
  } catch (err) {
    await hub.stop(5_000);
    throw err;
  }
  return hub;
}
