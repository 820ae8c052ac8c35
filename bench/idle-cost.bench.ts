/**
 * What a hub costs while nothing happens: CPU per second of wall time (utime + stime from
 * /proc/<pid>/stat) of idle hubs, single-node on PGlite, single-node on PostgreSQL and clustered
 * (N nodes behind HAProxy, PostgreSQL, nats-server), with no device and with idle devices
 * connected; and, on PostgreSQL, the statements each side sends per second (the statement log
 * of the window, grouped by statement). A fixed cost per process is paid N times by a cluster.
 *
 *   node dist/bench/idle-cost.bench.js [--modes pglite,pg,cluster] [--devices 0,300]
 *     [--seconds 60] [--nodes 3] [--profile] [--revision REV] [--out file.json]
 *
 * --revision also builds REV (git archive in a temp folder, bench/lib/revision-build) and
 * measures its hubs side by side with this checkout's, over the same windows: on a shared
 * machine the CPU of idle processes moves with the other load, so a before/after comparison
 * is only fair at the same time.
 * --profile records a CPU profile of one hub (the first node) over each window and prints its
 * top functions.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pgDriver from 'pg';
import type { HaproxyServer } from '../libs/testing/src/haproxy-server';
import type { NatsServer } from '../libs/testing/src/nats-server';
import { startPostgres, type PostgresServer } from '../libs/testing/src/postgres-server';
import { waitFor } from '../libs/testing/src/wait-for';
import { HubRestClient } from '../devices-sim/src/hub/hub-rest.client';
import type { BedCredentials } from '../devices-sim/src/hub/credentials';
import { provisionLean } from '../devices-sim/src/load/lean-provisioner';
import { argNumber, argText } from './lib/argv';
import { startBenchCluster } from './lib/bench-cluster';
import { log, sleep } from './lib/log';
import { cpuSeconds, processTree, treeCpuSeconds } from './lib/proc';
import { summariseProfile } from './lib/profile';
import { buildRevision } from './lib/revision-build';
import { scrape, spawnHub, type HubServer } from './lib/servers';
import { childTrees } from './lib/targets';

type Mode = 'pglite' | 'pg' | 'cluster';

interface Window {
  /** 'this checkout' or the revision measured beside it. */
  build: string;
  mode: Mode;
  devices: number;
  seconds: number;
  /** ms of CPU per second of wall time, per hub process. */
  hubMsPerS: number[];
  /** Of which garbage collection (the hub's own bedside_nodejs_gc_duration_seconds), and collections per second. */
  hubGcMsPerS: number[];
  hubGcPerS: number[];
  /** Same, PostgreSQL (server and every backend), nats-server, haproxy. */
  postgresMsPerS: number | null;
  natsMsPerS: number | null;
  haproxyMsPerS: number | null;
  /** Statements the hubs sent per second (from the statement log), and per hub. */
  statementsPerS: number | null;
  /** Committed transactions per second in the hubs' database (pg_stat_database). */
  commitsPerS: number | null;
  topStatements: { perS: number; text: string }[];
  profileTop: { fn: string; where: string; selfMs: number }[] | null;
  profileOurs: { fn: string; where: string; totalMs: number }[] | null;
}

const modes = argText('--modes', 'pglite,pg,cluster').split(',') as Mode[];
const deviceCounts = argText('--devices', '0,300')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const seconds = argNumber('--seconds', 60);
const nodeCount = argNumber('--nodes', 3);
const profile = process.argv.includes('--profile');
const out = argText('--out', '');
const revision = argText('--revision', '');

/** The statement log of a throwaway PostgreSQL: every statement, with its database, to a file. */
async function statementLog(pg: PostgresServer, dir: string): Promise<void> {
  const c = new pgDriver.Client(pg.url);
  await c.connect();
  for (const s of [
    `ALTER SYSTEM SET logging_collector = on`,
    `ALTER SYSTEM SET log_directory = '${dir}'`,
    `ALTER SYSTEM SET log_filename = 'pg.log'`,
    `ALTER SYSTEM SET log_line_prefix = '%m [%p] db=%d '`,
    `ALTER SYSTEM SET log_statement = 'none'`,
  ])
    await c.query(s);
  await c.end();
  await pg.halt();
  await pg.resume();
}

async function setLogStatement(pg: PostgresServer, value: 'all' | 'none'): Promise<void> {
  const c = new pgDriver.Client(pg.url);
  await c.connect();
  await c.query(`ALTER SYSTEM SET log_statement = '${value}'`);
  await c.query('SELECT pg_reload_conf()');
  await c.end();
}

/** Statements logged for `db` since byte `from` of the log, grouped by their text with literals and parameters blanked. */
function statementsSince(file: string, from: number, db: string): { total: number; byText: Map<string, number> } {
  const text = readFileSync(file).subarray(from).toString('utf8');
  const byText = new Map<string, number>();
  let total = 0;
  const entries = text.split(/\n(?=\d{4}-\d\d-\d\d )/);
  for (const e of entries) {
    const m = /db=(\S*) LOG:\s+(?:statement|execute [^:]*): ([\s\S]*)$/.exec(e);
    if (!m || m[1] !== db) continue;
    total++;
    const norm = m[2]
      .replace(/\s+/g, ' ')
      .replace(/'[^']*'/g, "'?'")
      .replace(/\b\d+\b/g, 'N')
      .trim()
      .slice(0, 160);
    byText.set(norm, (byText.get(norm) ?? 0) + 1);
  }
  return { total, byText };
}

async function commits(pg: PostgresServer, db: string): Promise<number> {
  const c = new pgDriver.Client(pg.url);
  await c.connect();
  // Counters reach pg_stat_database when backends flush them (at most ~1 s late); the window is long.
  const r = await c.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
    [db],
  );
  await c.end();
  return Number(r.rows[0]?.n ?? 0);
}

/** Engine processes this process started itself (not their backends), by command name. */
function startedEngines(): Record<Engine, number[]> {
  const direct = (comm: Engine) =>
    childTrees([comm]).filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    });
  return { postgres: direct('postgres'), 'nats-server': direct('nats-server'), haproxy: direct('haproxy') };
}
type Engine = 'postgres' | 'nats-server' | 'haproxy';

interface Side {
  /** The engines this side started, each with its descendants counted at read time. */
  engines: Record<Engine, number[]>;
  hubs: HubServer[];
  mqttUrl: string;
  api: HubRestClient;
  pg: PostgresServer | null;
  db: string | null;
  nats: NatsServer | null;
  proxy: HaproxyServer | null;
  stop(): Promise<void>;
}

async function startSide(mode: Mode, logDir: string, main: string | undefined): Promise<Side> {
  const before = startedEngines();
  const side = await startEngineSide(mode, logDir, main);
  const after = startedEngines();
  for (const k of Object.keys(after) as Engine[]) side.engines[k] = after[k].filter((p) => !before[k].includes(p));
  return side;
}

async function startEngineSide(mode: Mode, logDir: string, main: string | undefined): Promise<Side> {
  if (mode === 'pglite') {
    const hub = await spawnHub({ main });
    return {
      engines: { postgres: [], 'nats-server': [], haproxy: [] },
      hubs: [hub],
      mqttUrl: hub.mqttUrl,
      api: new HubRestClient(hub.httpUrl, hub.admin, 60_000),
      pg: null,
      db: null,
      nats: null,
      proxy: null,
      stop: async () => {
        await hub.stop();
        rmSync(hub.dataDir, { recursive: true, force: true });
      },
    };
  }
  const pg = await startPostgres();
  await statementLog(pg, logDir);
  const db = mode === 'pg' ? 'idle_single' : 'idle_cluster';
  if (mode === 'pg') {
    const hub = await spawnHub({ main, env: { DATABASE_URL: await pg.createDatabase(db) } });
    return {
      engines: { postgres: [], 'nats-server': [], haproxy: [] },
      hubs: [hub],
      mqttUrl: hub.mqttUrl,
      api: new HubRestClient(hub.httpUrl, hub.admin, 60_000),
      pg,
      db,
      nats: null,
      proxy: null,
      stop: async () => {
        await hub.stop();
        rmSync(hub.dataDir, { recursive: true, force: true });
        await pg.stop();
      },
    };
  }
  const cluster = await startBenchCluster(pg, {
    nodes: nodeCount,
    leaseTtlMs: 5000,
    beds: Math.max(...deviceCounts),
    database: db,
    main,
  });
  return {
    engines: { postgres: [], 'nats-server': [], haproxy: [] },
    hubs: cluster.hubs,
    mqttUrl: cluster.mqttUrl,
    api: new HubRestClient(cluster.httpUrl, cluster.hubs[0].admin, 60_000),
    pg,
    db,
    nats: cluster.nats,
    proxy: cluster.proxy,
    stop: async () => {
      await cluster.stop();
      await pg.stop();
    },
  };
}

function connect(url: string, bed: BedCredentials): Promise<MqttClient> {
  const d = bed.devices.mattress;
  return mqtt.connectAsync(url, {
    clientId: d.mqtt.clientId,
    username: d.mqtt.username,
    password: d.mqtt.password,
    protocolVersion: 4,
    keepalive: 60,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
}

async function measure(side: Side, mode: Mode, devices: number, logDir: string): Promise<Window> {
  const hubPids = side.hubs.map((h) => h.pid);
  const tree = (roots: number[]) => () => roots.flatMap((r) => processTree(r));
  const pgPids = tree(side.engines.postgres);
  const natsPids = tree(side.engines['nats-server']);
  const haPids = tree(side.engines.haproxy);
  const logFile = join(logDir, 'pg.log');
  if (side.pg) await setLogStatement(side.pg, 'all');
  if (profile) process.kill(side.hubs[0].pid, 'SIGURG');
  const logFrom = side.pg ? readFileSync(logFile).length : 0;
  const c0 = side.pg && side.db ? await commits(side.pg, side.db) : 0;
  const gc = () =>
    Promise.all(
      side.hubs.map(async (h) => {
        const m = await scrape(h.httpUrl);
        return { s: m('bedside_nodejs_gc_duration_seconds_sum'), n: m('bedside_nodejs_gc_duration_seconds_count') };
      }),
    );
  const gc0 = await gc();
  const hub0 = hubPids.map(cpuSeconds);
  const pg0 = side.pg ? treeCpuSeconds(pgPids()) : 0;
  const nats0 = treeCpuSeconds(natsPids());
  const ha0 = treeCpuSeconds(haPids());
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  const ms = (a: number, b: number) => Math.round(((b - a) / wall) * 10_000) / 10;
  const perS = (n: number) => Math.round((n / wall) * 100) / 100;
  const hub1 = hubPids.map(cpuSeconds);
  const gc1 = await gc();
  const pg1 = side.pg ? treeCpuSeconds(pgPids()) : 0;
  const nats1 = treeCpuSeconds(natsPids());
  const ha1 = treeCpuSeconds(haPids());
  const stmts = side.pg && side.db ? statementsSince(logFile, logFrom, side.db) : null;
  const c1 = side.pg && side.db ? await commits(side.pg, side.db) : 0;
  if (side.pg) await setLogStatement(side.pg, 'none');
  let profileTop: Window['profileTop'] = null;
  let profileOurs: Window['profileOurs'] = null;
  if (profile) {
    const file = join(side.hubs[0].dataDir, 'bench-window.cpuprofile');
    rmSync(file, { force: true });
    process.kill(side.hubs[0].pid, 'SIGURG');
    await waitFor(() => readdirSync(side.hubs[0].dataDir).includes('bench-window.cpuprofile'), {
      what: 'the window profile',
      timeoutMs: 20_000,
    });
    await sleep(500);
    const s = summariseProfile(file);
    profileTop = s.topSelf.slice(0, 20).map((f) => ({ fn: f.fn, where: f.where, selfMs: f.selfMs }));
    profileOurs = s.topOurInclusive.slice(0, 20).map((f) => ({ fn: f.fn, where: f.where, totalMs: f.totalMs }));
    writeFileSync(join(logDir, `${mode}-${devices}.cpuprofile`), readFileSync(file));
  }
  return {
    build: '',
    mode,
    devices,
    seconds: Math.round(wall),
    hubMsPerS: hubPids.map((_, i) => ms(hub0[i], hub1[i])),
    hubGcMsPerS: gc0.map((g, i) => ms(g.s, gc1[i].s)),
    hubGcPerS: gc0.map((g, i) => perS(gc1[i].n - g.n)),
    postgresMsPerS: side.pg ? ms(pg0, pg1) : null,
    natsMsPerS: side.nats ? ms(nats0, nats1) : null,
    haproxyMsPerS: side.proxy ? ms(ha0, ha1) : null,
    statementsPerS: stmts ? perS(stmts.total) : null,
    commitsPerS: side.pg ? perS(c1 - c0) : null,
    topStatements: stmts
      ? [...stmts.byText]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([text, n]) => ({ perS: perS(n), text }))
      : [],
    profileTop,
    profileOurs,
  };
}

interface Build {
  label: string;
  main: string | undefined;
}

interface BuildRun {
  side: Side;
  logDir: string;
  /** Connects devices until `n` are. */
  step(n: number): Promise<void>;
  stop(): Promise<void>;
}

/** One build's side of a mode: started, provisioned, its devices connected step by step. */
async function runBuild(build: Build, mode: Mode): Promise<BuildRun> {
  const logDir = mkdtempSync(join(tmpdir(), 'bedside-idle-'));
  chmodSync(logDir, 0o777); // PostgreSQL runs as its own user when the bench runs as root
  const side = await startSide(mode, logDir, build.main);
  const clients: MqttClient[] = [];
  const max = Math.max(...deviceCounts);
  const beds = max
    ? (await provisionLean(side.api, max, { prefix: `idle-${mode}`, kindsFor: () => ['mattress'] })).beds
    : [];
  return {
    side,
    logDir,
    async step(n) {
      while (clients.length < n) {
        const batch = beds.slice(clients.length, Math.min(n, clients.length + 50));
        clients.push(...(await Promise.all(batch.map((b) => connect(side.mqttUrl, b)))));
      }
    },
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await side.stop();
      if (!profile) rmSync(logDir, { recursive: true, force: true });
      else log(`profiles kept in ${logDir}`);
    },
  };
}

function report(w: Window): void {
  log(
    `${w.build}, ${w.mode}, ${w.devices} devices: hubs ${w.hubMsPerS.join(' / ')} ms/s ` +
      `(GC ${w.hubGcMsPerS.join(' / ')} ms/s, ${w.hubGcPerS.join(' / ')} collections/s), postgres ${w.postgresMsPerS} ms/s, ` +
      `nats ${w.natsMsPerS}, haproxy ${w.haproxyMsPerS}; statements ${w.statementsPerS}/s, commits ${w.commitsPerS}/s`,
  );
  for (const s of w.topStatements.slice(0, 15)) log(`  ${s.perS}/s  ${s.text}`);
  if (w.profileOurs) for (const f of w.profileOurs.slice(0, 12)) log(`  prof ${f.totalMs} ms  ${f.fn} ${f.where}`);
  if (w.profileTop) for (const f of w.profileTop.slice(0, 12)) log(`  self ${f.selfMs} ms  ${f.fn} ${f.where}`);
}

async function main(): Promise<void> {
  const builds: Build[] = [{ label: 'this checkout', main: undefined }];
  if (revision) {
    const rev = buildRevision(revision, log);
    builds.push({
      label: `${revision} (${rev.commit.slice(0, 8)})`,
      main: join(rev.root, 'dist/apps/hub/src/main.js'),
    });
  }
  const results: Window[] = [];
  for (const mode of modes) {
    log(`idle cost: ${mode}`);
    const sides: BuildRun[] = [];
    try {
      // One after the other: their start-up and provisioning would otherwise compete.
      for (const b of builds) sides.push(await runBuild(b, mode));
      for (const n of deviceCounts) {
        await Promise.all(sides.map((s) => s.step(n)));
        // Let connection work (sessions, status writes, display checks) settle first.
        await sleep(10_000);
        const ws = await Promise.all(
          sides.map(async (s, i) => ({ ...(await measure(s.side, mode, n, s.logDir)), build: builds[i].label })),
        );
        for (const w of ws) {
          results.push(w);
          report(w);
        }
      }
    } finally {
      for (const s of sides) await s.stop();
    }
  }
  if (out) writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(JSON.stringify(results.map(({ topStatements, profileTop, profileOurs, ...w }) => w)) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
