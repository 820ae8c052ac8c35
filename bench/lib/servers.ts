import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../libs/testing/src/free-port';
import { launchHub } from '../../libs/testing/src/hub-launcher';
import { waitFor } from '../../libs/testing/src/wait-for';

export const ROOT = resolve(__dirname, '../../..');
const DIST_BENCH = resolve(__dirname, '..');
const GC_PRELOAD = join(DIST_BENCH, 'gc-on-signal.js');
const PROFILE_PRELOAD = join(DIST_BENCH, 'profile-on-signal.js');
/** The Node flags `npm start` gives the hub (package.json), so the bench measures what production runs. */
export const HUB_NODE_FLAGS: string[] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));

export interface Server {
  pid: number;
  mqttUrl: string;
  /** Node servers: full GC and memoryUsage() on demand (preload); null for mosquitto. */
  memFile: string | null;
  logs(): string;
  stop(): Promise<void>;
}

export interface HubServer extends Server {
  httpUrl: string;
  admin: { username: string; password: string };
  authHeader: string;
  dataDir: string;
  httpPort: number;
  mqttPort: number;
  /** The current process id (a new one after restart()). */
  pidNow: () => number;
  /** SIGKILL (a crash) and wait until it exited. */
  kill: () => Promise<void>;
  /** Starts again on the same ports and data folder, and waits until it is ready. */
  restart: () => Promise<void>;
}

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

async function halt(p: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
  await exited(p);
  clearTimeout(t);
}

function capture(p: ChildProcess): () => string {
  let out = '';
  const add = (d: Buffer) => {
    out += d.toString();
    if (out.length > 40_000) out = out.slice(-20_000);
  };
  p.stdout?.on('data', add);
  p.stderr?.on('data', add);
  return () => out;
}

/**
 * The built hub (libs/testing hub-launcher) with extra node flags: those `npm start` gives it,
 * --expose-gc plus the GC and window-profile preloads.
 */
export async function spawnHub(
  o: {
    env?: Record<string, string>;
    nodeArgs?: string[];
    dataDir?: string;
    ports?: { http: number; mqtt: number };
    /** Another build's entry point (revision benches); default this checkout's. */
    main?: string;
  } = {},
): Promise<HubServer> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'bedside-bench-hub-'));
  const memFile = join(dataDir, 'bench-mem.json');
  const hub = await launchHub({
    main: o.main,
    dataDir,
    ports: o.ports,
    adminPassword: 'bench-admin-password',
    logLevel: 'warn',
    nodeArgs: [
      ...HUB_NODE_FLAGS,
      '--expose-gc',
      '--require',
      GC_PRELOAD,
      '--require',
      PROFILE_PRELOAD,
      ...(o.nodeArgs ?? []),
    ],
    env: {
      MQTT_CONNECTIONS_PER_SECOND_PER_IP: '1000000',
      BENCH_MEM_FILE: memFile,
      BENCH_PROFILE_FILE: join(dataDir, 'bench-window.cpuprofile'),
      ...o.env,
    },
    keepOutputChars: 40_000,
    readyTimeoutMs: 60_000,
  });
  return {
    pid: hub.proc.pid!,
    httpUrl: hub.httpUrl,
    mqttUrl: hub.mqttUrl,
    memFile,
    logs: hub.logs,
    admin: hub.admin,
    dataDir,
    authHeader: hub.authHeader,
    httpPort: hub.httpPort,
    mqttPort: hub.mqttPort,
    pidNow: () => hub.proc.pid!,
    kill: () => hub.kill(),
    restart: () => hub.restart(),
    stop: () => hub.stop(30_000),
  };
}

/** dist/bench/bare-aedes.js: aedes with no hooks, any login accepted. */
export async function spawnBareAedes(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'bedside-bench-aedes-'));
  const memFile = join(dir, 'bench-mem.json');
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ['--expose-gc', '--require', GC_PRELOAD, join(DIST_BENCH, 'bare-aedes.js'), String(port)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', BENCH_MEM_FILE: memFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs = capture(proc);
  await waitFor(
    () => {
      if (proc.exitCode !== null) throw new Error(`bare aedes exited: ${logs()}`);
      return logs().includes('listening');
    },
    { timeoutMs: 20_000, what: 'bare aedes' },
  );
  return {
    pid: proc.pid!,
    mqttUrl: `mqtt://127.0.0.1:${port}`,
    memFile,
    logs,
    stop: async () => {
      await halt(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const MOSQUITTO = '/usr/sbin/mosquitto';

/** Debian's mosquitto on a random loopback port, anonymous, no persistence, no logging. */
export async function spawnMosquitto(): Promise<Server> {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), 'bedside-bench-mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest none',
      'max_connections -1',
      'max_keepalive 3600',
      'set_tcp_nodelay true',
      '',
    ].join('\n'),
  );
  const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = capture(proc);
  const { connect } = await import('node:net');
  await waitFor(
    () =>
      new Promise<boolean>((r) => {
        if (proc.exitCode !== null) return r(false);
        const s = connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
        s.on('error', () => r(false));
      }),
    { timeoutMs: 10_000, what: 'mosquitto' },
  );
  return {
    pid: proc.pid!,
    mqttUrl: `mqtt://127.0.0.1:${port}`,
    memFile: null,
    logs,
    stop: async () => {
      await halt(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Full GC in a node server (preload) and its memory afterwards; RSS only for others. */
export async function memoryAfterGc(
  s: Server,
  rss: (pid: number) => number,
): Promise<{ rss: number; heapUsed: number | null; external: number | null; gc: boolean }> {
  if (s.memFile) {
    try {
      rmSync(s.memFile, { force: true });
      process.kill(s.pid, 'SIGWINCH');
      const m = await waitFor(
        () =>
          existsSync(s.memFile!)
            ? (JSON.parse(readFileSync(s.memFile!, 'utf8')) as { heapUsed: number; external: number; gc: boolean })
            : null,
        { timeoutMs: 10_000, intervalMs: 50, what: 'memory report' },
      );
      await new Promise((r) => setTimeout(r, 200));
      return { rss: rss(s.pid), heapUsed: m.heapUsed, external: m.external, gc: m.gc };
    } catch {
      /* fall through: RSS only */
    }
  }
  return { rss: rss(s.pid), heapUsed: null, external: null, gc: false };
}

export { scrape } from '../../libs/testing/src/metrics-scrape';
