import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderHaproxyConfig } from '@bedside/cluster';
import {
  freePort,
  startHaproxy,
  startNatsCluster,
  startPostgres,
  type HaproxyServer,
  type NatsCluster,
  type PostgresServer,
} from '@bedside/testing';

/** dist/devices-sim/src/cluster -> dist/apps/hub/src/main.js (the built hub). */
const HUB_MAIN = resolve(__dirname, '../../../apps/hub/src/main.js');
const REPO_ROOT = resolve(__dirname, '../../../..');

export interface ClusterOptions {
  nodes: number;
  /** HAProxy's ports (0: a free one). */
  httpPort: number;
  mqttPort: number;
  leaseTtlMs: number;
  /** HAProxy maxconn: it needs about twice as many file descriptors, within this shell's limit. */
  maxConnections: number;
  /** Progress lines (starting PostgreSQL, hub-2 ready, …). */
  say: (line: string) => void;
}

export interface ClusterNode {
  name: string;
  httpUrl: string;
  mqttPort: number;
  logFile: string;
}

export interface RunningCluster {
  dir: string;
  consoleUrl: string;
  mqttUrl: string;
  admin: { username: string; password: string };
  databaseUrl: string;
  natsUrl: string;
  nodes: ClusterNode[];
  /** Hubs first (SIGTERM: they drain their leases), then HAProxy, NATS, PostgreSQL; removes the folder. */
  stop(): Promise<void>;
}

interface HubChild {
  node: ClusterNode;
  proc: ChildProcess;
  log: WriteStream;
}

const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

async function waitReady(child: HubChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child.proc)) throw new Error(`${child.node.name} exited during start; see ${child.node.logFile}`);
    try {
      const res = await fetch(`${child.node.httpUrl}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline)
      throw new Error(`${child.node.name} not ready within ${timeoutMs} ms; see ${child.node.logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopHub(child: HubChild, graceMs: number): Promise<void> {
  if (!exited(child.proc)) {
    const gone = new Promise<void>((r) => child.proc.once('exit', () => r()));
    child.proc.kill('SIGTERM');
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
  await new Promise<void>((r) => child.log.end(() => r()));
}

/**
 * The clustered topology on loopback, in a temporary folder: PostgreSQL, core NATS, N built hubs
 * (own ports, own data folder, CLUSTER_NODE_ID hub-1…hub-N, PROXY v2 on MQTT) and HAProxy in
 * front with the configuration renderHaproxyConfig writes for production. Every engine runs in
 * its own process group, so a Ctrl-C reaches only the caller, which stops them in order.
 */
export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'bedside-cluster-'));
  const admin = { username: 'admin', password: randomBytes(12).toString('base64url') };
  const hubs: HubChild[] = [];
  let pg: PostgresServer | null = null;
  let nats: NatsCluster | null = null;
  let proxy: HaproxyServer | null = null;
  const stop = async () => {
    await Promise.all(hubs.map((h) => stopHub(h, 15_000)));
    await proxy?.stop();
    await nats?.stop();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  // If the caller dies, do not leave hubs running (the engines are stopped by stop()).
  const killOnExit = () => hubs.forEach((h) => !exited(h.proc) && h.proc.kill('SIGKILL'));
  process.once('exit', killOnExit);
  try {
    o.say('starting PostgreSQL');
    pg = await startPostgres({ detached: true });
    const databaseUrl = await pg.createDatabase('bedside');
    o.say('starting NATS (three servers, clustered)');
    nats = await startNatsCluster(3, { detached: true });
    for (let i = 1; i <= o.nodes; i++) {
      const name = `hub-${i}`;
      const httpPort = await freePort();
      const mqttPort = await freePort();
      const dataDir = join(dir, name);
      const logFile = join(dir, `${name}.log`);
      const log = createWriteStream(logFile, { flags: 'a' });
      const proc = spawn(process.execPath, [HUB_MAIN], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'production',
          DATA_DIR: dataDir,
          DATABASE_URL: databaseUrl,
          NATS_URL: nats.url,
          CLUSTER_NODE_ID: name,
          CLUSTER_LEASE_TTL_MS: String(o.leaseTtlMs),
          MQTT_PROXY_PROTOCOL: 'true',
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(httpPort),
          MQTT_PORT: String(mqttPort),
          ADMIN_USERNAME: admin.username,
          ADMIN_PASSWORD: admin.password,
          LOG_LEVEL: 'info',
        },
      });
      proc.stdout?.pipe(log, { end: false });
      proc.stderr?.pipe(log, { end: false });
      const child = { node: { name, httpUrl: `http://127.0.0.1:${httpPort}`, mqttPort, logFile }, proc, log };
      hubs.push(child);
      o.say(`starting ${name} (HTTP ${httpPort}, MQTT ${mqttPort})`);
      // The first hub alone: it applies the migrations and creates the administrator.
      if (i === 1) await waitReady(child, 90_000);
    }
    await Promise.all(hubs.map((h) => waitReady(h, 90_000)));
    const httpPort = o.httpPort || (await freePort());
    const mqttPort = o.mqttPort || (await freePort());
    o.say('starting HAProxy');
    proxy = await startHaproxy(
      renderHaproxyConfig({
        bindHost: '127.0.0.1',
        httpPort,
        mqttPort,
        maxConnections: o.maxConnections,
        nodes: hubs.map((h) => ({
          name: h.node.name,
          host: '127.0.0.1',
          httpPort: Number(new URL(h.node.httpUrl).port),
          mqttPort: h.node.mqttPort,
        })),
      }),
      [httpPort, mqttPort],
      { detached: true },
    );
    return {
      dir,
      consoleUrl: `http://127.0.0.1:${httpPort}`,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      admin,
      databaseUrl,
      natsUrl: nats.url,
      nodes: hubs.map((h) => h.node),
      stop: async () => {
        process.off('exit', killOnExit);
        await stop();
      },
    };
  } catch (err) {
    process.off('exit', killOnExit);
    await stop().catch(() => undefined);
    throw err;
  }
}
