/**
 * Bedside benchmark suite. `npm run bench` = build + this file.
 *
 *   node dist/bench/run-all.js            full run (manual; ~25 min on 2 cores)
 *   node dist/bench/run-all.js --quick    CI smoke: tiny fleet, embedded hub + bare aedes, seconds
 *
 * Options (argv, or env in brackets):
 *   --quick [BENCH_QUICK=1]         tiny fleet, 1.5 s windows, no profile/spool/influx by default
 *   --no-docs [BENCH_NO_DOCS=1]     do not regenerate docs/benchmarks.md
 *   --targets a,b [BENCH_TARGETS]   hub-embedded, hub-prod, aedes, mosquitto
 *   --steps 250,500 [BENCH_STEPS]   beds per step (1 mattress connection per bed, 1 Hz)
 *   --runs n [BENCH_RUNS]           repeated windows per QoS and step (>= 3 for medians)
 *   --window s [BENCH_WINDOW_S]     seconds of sending per window
 *   --sos n [BENCH_SOS]             SOS presses per window (hub targets)
 *   --budget-min m [BENCH_BUDGET_MIN]  stop stepping when the run has used this long
 *   --no-profile --no-spool --no-influx   skip those parts; --profile/--spool/--influx force them
 *   --out dir [BENCH_OUT]           results folder (default bench/results)
 *   --no-fairness / --fairness      skip / force the device fairness case (bench/device-fairness.bench.ts; off with --quick)
 *   --no-corpus / --corpus          skip / force the realistic-nights corpus (on by default, off with --quick)
 *   --corpus-beds n --corpus-hours h --corpus-speed x [BENCH_CORPUS_BEDS, _HOURS, _SPEED]
 *   --corpus-previous rev|none [BENCH_CORPUS_PREVIOUS]  the previous release to compare with (default 25e4bf4)
 *   --render results.json [--supplement more.json]  only regenerate docs/benchmarks.md from results
 *
 * Every target gets the same load: `devices-sim load` in its own process, one MQTT connection
 * per device, open loop. Results: bench/results/<timestamp>.json and docs/benchmarks.md.
 */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startInflux, type InfluxServer } from '../libs/testing/src/influx-server';
import { startPostgres, type PostgresServer } from '../libs/testing/src/postgres-server';
import { HubRestClient } from '../devices-sim/src/hub/hub-rest.client';
import type { BedCredentials } from '../devices-sim/src/hub/credentials';
import { fakeBeds, provisionLean, type LeanFleetRoot } from '../devices-sim/src/load/lean-provisioner';
import { corpusBench, DEFAULT_CORPUS_BENCH, type CorpusBenchOptions, type CorpusBenchResult } from './corpus.bench';
import { influxWriteBench, type InfluxWriteResult } from './influx-write.bench';
import { deviceFairnessBench, DEFAULT_DEVICE_FAIRNESS, type DeviceFairnessResult } from './device-fairness.bench';
import { runLoad, type LoadRecord } from './lib/load';
import { machineInfo } from './lib/machine';
import { cpuSeconds, processTree, raiseFileLimit, rssBytes, treeCpuSeconds } from './lib/proc';
import { summariseProfile, type ProfileSummary } from './lib/profile';
import { renderMarkdown } from './lib/report';
import {
  HUB_NODE_FLAGS,
  memoryAfterGc,
  ROOT,
  scrape,
  spawnBareAedes,
  spawnHub,
  spawnMosquitto,
  type HubServer,
  type Server,
} from './lib/servers';
import { round, spread, type Spread } from './lib/stats';
import { waitFor } from '../libs/testing/src/wait-for';

export const TARGETS = ['hub-embedded', 'hub-prod', 'aedes', 'mosquitto'] as const;
export type TargetName = (typeof TARGETS)[number];

export const TARGET_LABELS: Record<TargetName, string> = {
  'hub-embedded': 'hub, embedded defaults (PGlite + SQL telemetry)',
  'hub-prod': 'hub, production-like (PostgreSQL + InfluxDB)',
  aedes: 'bare aedes relay',
  mosquitto: 'Debian mosquitto relay',
};

export interface BenchOptions {
  quick: boolean;
  docs: boolean;
  targets: TargetName[];
  steps: number[];
  runs: number;
  windowS: number;
  pauseS: number;
  holdS: number;
  /** Unmeasured QoS 1 sending after connecting: first messages (bed loading) stay out of the windows. */
  warmupS: number;
  drainS: number;
  sos: number;
  budgetMin: number;
  profile: boolean;
  spool: boolean;
  influx: boolean;
  outDir: string;
  /** Realistic nights against this checkout and the previous release; null: skipped. */
  corpus: CorpusBenchOptions | null;
  fairness: boolean;
  /** Break thresholds. */
  maxLoss: number;
  maxP99Ms: number;
}

/** "Breaks": loss > 0.1 % of sent, or p99 publish->PUBACK > 1 s (QoS 1), or > 0.1 % failed connects, or the generator lags (p99 lateness > 1 s). */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const has = (f: string) => argv.includes(f);
  const val = (f: string, e: string): string | undefined => {
    const i = argv.indexOf(f);
    if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(f + '='));
    if (eq) return eq.slice(f.length + 1);
    return env[e] || undefined;
  };
  const quick = has('--quick') || env.BENCH_QUICK === '1';
  const list = (s: string | undefined) =>
    s
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const targets = (list(val('--targets', 'BENCH_TARGETS')) ??
    (quick ? ['hub-embedded', 'aedes'] : [...TARGETS])) as TargetName[];
  for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t} (${TARGETS.join(', ')})`);
  const flag = (name: string, dflt: boolean) => (has(`--no-${name}`) ? false : has(`--${name}`) ? true : dflt);
  return {
    quick,
    docs: !(has('--no-docs') || env.BENCH_NO_DOCS === '1'),
    targets,
    steps: (
      list(val('--steps', 'BENCH_STEPS')) ?? (quick ? ['20'] : ['250', '500', '1000', '2500', '5000', '10000'])
    ).map(Number),
    runs: Number(val('--runs', 'BENCH_RUNS') ?? 3),
    windowS: Number(val('--window', 'BENCH_WINDOW_S') ?? (quick ? 1.5 : 5)),
    pauseS: quick ? 0.3 : 1,
    holdS: quick ? 2 : 4,
    warmupS: quick ? 1 : 3,
    drainS: quick ? 3 : 5,
    sos: Number(val('--sos', 'BENCH_SOS') ?? (quick ? 2 : 10)),
    budgetMin: Number(val('--budget-min', 'BENCH_BUDGET_MIN') ?? (quick ? 2 : 35)),
    profile: flag('profile', !quick),
    spool: flag('spool', !quick),
    influx: flag('influx', !quick),
    outDir: val('--out', 'BENCH_OUT') ?? join(ROOT, 'bench/results'),
    fairness: flag('fairness', !quick),
    corpus: flag('corpus', !quick)
      ? {
          beds: Number(val('--corpus-beds', 'BENCH_CORPUS_BEDS') ?? DEFAULT_CORPUS_BENCH.beds),
          hours: Number(val('--corpus-hours', 'BENCH_CORPUS_HOURS') ?? DEFAULT_CORPUS_BENCH.hours),
          speed: Number(val('--corpus-speed', 'BENCH_CORPUS_SPEED') ?? DEFAULT_CORPUS_BENCH.speed),
          seed: DEFAULT_CORPUS_BENCH.seed,
          previous: ((p) => (p === 'none' ? null : p))(
            val('--corpus-previous', 'BENCH_CORPUS_PREVIOUS') ?? DEFAULT_CORPUS_BENCH.previous,
          ),
        }
      : null,
    maxLoss: 0.001,
    maxP99Ms: 1000,
  };
}

export interface WindowResult {
  qos: 0 | 1;
  sent: number;
  delivered: number;
  lossRatio: number;
  throughputPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  latenessP99Ms: number;
  serverCpuUsPerMsg: number;
  backendCpuUsPerMsg: number | null;
  generatorCpuUsPerMsg: number;
  sos:
    | { presses: number; matched: number; p50: number; p99: number; p999: number; max: number }
    | { unavailable: string }
    | null;
}

export interface QosSummary {
  qos: 0 | 1;
  windows: number;
  offeredPerSec: number;
  throughputPerSec: Spread | null;
  lossRatio: Spread | null;
  p50Ms: Spread | null;
  p99Ms: Spread | null;
  p999Ms: Spread | null;
  latenessP99Ms: Spread | null;
  serverCpuUsPerMsg: Spread | null;
  backendCpuUsPerMsg: Spread | null;
  generatorCpuUsPerMsg: Spread | null;
  broken: string | null;
}

export interface StepResult {
  beds: number;
  connections: number;
  connectMs: number;
  connectFailures: number;
  memory: {
    before: number;
    after: number;
    bytesPerConnection: number;
    heapBytesPerConnection: number | null;
    gc: boolean;
  } | null;
  qos: QosSummary[];
  sos:
    | {
        windows: number;
        presses: number;
        matched: number;
        p50Ms: Spread | null;
        p99Ms: Spread | null;
        p999Ms: Spread | null;
        maxMs: Spread | null;
      }
    | { unavailable: string }
    | null;
  broken: string | null;
  windows: WindowResult[];
  error?: string;
}

export interface TargetResult {
  name: TargetName;
  label: string;
  steps: StepResult[];
  provisioning?: { beds: number; ms: number }[];
  skipped?: string;
  error?: string;
}

export interface SpoolResult {
  beds: number;
  outageMs: number;
  peakSpoolPoints: number;
  peakSpoolBytes: number;
  catchUpMs: number | null;
  pointsWrittenDuringRun: number;
  lossRatio: number;
  p99Ms: number | null;
  series: [number, number][];
}

export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt: string;
  elapsedS: number;
  options: BenchOptions;
  machine: ReturnType<typeof machineInfo>;
  settings: Record<string, string>;
  targets: TargetResult[];
  ratios: Record<string, unknown>;
  influxWrite: { runs: InfluxWriteResult[]; pointsPerSecond: Spread | null } | null;
  spool: SpoolResult | { error: string } | null;
  profiles: { target: TargetName; beds: number; load: Record<string, unknown> | null; summary: ProfileSummary }[];
  /** Realistic nights, this checkout and the previous release side by side. */
  corpus?: CorpusBenchResult | null;
  deviceFairness?: DeviceFairnessResult | null;
  notes: string[];
}

/**
 * The load generator's CPU priority (devices-sim load --nice). In production the devices are
 * elsewhere; here the generator (~0.33 core at 10,000 beds, QoS 1, with its lean connections;
 * ~0.6 with MQTT.js clients) shares two cores with the server, PostgreSQL and influxd, and at
 * equal priority it took CPU the server needed. It
 * applies to every target alike; its lateness is reported, and a lagging generator breaks a step.
 */
const GENERATOR_NICE = 19;

/** Beds whose call buttons one `devices-sim load --sos` run uses: a press each, plus its probe's warm-up press. */
const sosBedsUsed = (presses: number, windows: number) => (presses > 0 ? presses * windows + 1 : 0);

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Children of this process with the given command name, with their descendants. */
function childTrees(comm: string[]): number[] {
  const out: number[] = [];
  for (const pid of processTree(process.pid)) {
    try {
      const c = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm.includes(c)) out.push(pid);
    } catch {
      /* gone */
    }
  }
  return out;
}

interface LiveTarget {
  name: TargetName;
  server: Server;
  hub: HubServer | null;
  pg?: PostgresServer;
  influx?: InfluxServer;
  backendPids: () => number[];
  /** messages the server delivered: hub = telemetry stored, relay = received by the subscriber */
  delivered: () => Promise<number>;
  credsFor: (beds: number) => Promise<string>;
  provisioning: { beds: number; ms: number }[];
  sosOffset: number;
  stop: () => Promise<void>;
}

async function relaySubscriber(url: string): Promise<{ count: () => number; end: () => Promise<void> }> {
  let n = 0;
  const c = await mqtt.connectAsync(url, {
    clientId: `bench-subscriber-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
  c.on('message', () => n++);
  await c.subscribeAsync('bedside/v1/devices/+/telemetry', { qos: 0 });
  return {
    count: () => n,
    end: () =>
      c.endAsync().then(
        () => undefined,
        () => undefined,
      ),
  };
}

async function startTarget(name: TargetName, work: string): Promise<LiveTarget> {
  const credsDir = mkdtempSync(join(work, `${name}-`));
  if (name === 'aedes' || name === 'mosquitto') {
    const server = name === 'aedes' ? await spawnBareAedes() : await spawnMosquitto();
    const sub = await relaySubscriber(server.mqttUrl);
    return {
      name,
      server,
      hub: null,
      backendPids: () => [],
      provisioning: [],
      sosOffset: 0,
      delivered: async () => sub.count(),
      credsFor: async (beds) => {
        const file = join(credsDir, `beds-${beds}.json`);
        writeFileSync(
          file,
          JSON.stringify({ version: 1, createdAt: new Date().toISOString(), beds: fakeBeds(beds, name) }),
        );
        return file;
      },
      stop: async () => {
        await sub.end();
        await server.stop();
      },
    };
  }
  let pg: PostgresServer | undefined;
  let influx: InfluxServer | undefined;
  const env: Record<string, string> = {};
  if (name === 'hub-prod') {
    pg = await startPostgres();
    env.DATABASE_URL = await pg.createDatabase('bedside');
    influx = await startInflux({ database: 'bedside' });
    env.INFLUX_URL = influx.url;
    env.INFLUX_DATABASE = 'bedside';
  }
  const hub = await spawnHub({ env });
  const api = new HubRestClient(hub.httpUrl, hub.admin, 60_000);
  let root: LeanFleetRoot | undefined;
  const beds: BedCredentials[] = [];
  const t: LiveTarget = {
    name,
    server: hub,
    hub,
    pg,
    influx,
    provisioning: [],
    sosOffset: 0,
    backendPids: () => (name === 'hub-prod' ? childTrees(['postgres', 'influxd']) : []),
    delivered: async () => (await scrape(hub.httpUrl))('bedside_mqtt_messages_stored_total', { channel: 'telemetry' }),
    credsFor: async (n) => {
      if (beds.length < n) {
        const t0 = Date.now();
        const more = await provisionLean(api, n - beds.length, {
          prefix: name,
          firstIndex: beds.length,
          root,
          concurrency: 16,
          kindsFor: (i) => (i < 2000 ? ['mattress', 'button'] : ['mattress']),
        });
        root = more.root;
        beds.push(...more.beds);
        t.provisioning.push({ beds: more.beds.length, ms: Date.now() - t0 });
        log(`${name}: provisioned ${more.beds.length} beds in ${Date.now() - t0} ms`);
      }
      const file = join(credsDir, `beds-${n}.json`);
      writeFileSync(file, JSON.stringify({ version: 1, createdAt: new Date().toISOString(), beds: beds.slice(0, n) }));
      return file;
    },
    stop: async () => {
      await hub.stop();
      await influx?.stop().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      rmSync(hub.dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Waits until the delivered counter reaches `expected` or stops moving. */
async function settle(read: () => Promise<number>, expected: number, maxMs: number): Promise<number> {
  const deadline = Date.now() + maxMs;
  let last = await read();
  let still = Date.now();
  while (Date.now() < deadline && last < expected) {
    await sleep(100);
    const v = await read();
    if (v !== last) {
      last = v;
      still = Date.now();
    } else if (Date.now() - still > 1000) break;
  }
  return last;
}

async function runStep(t: LiveTarget, beds: number, o: BenchOptions): Promise<StepResult> {
  const creds = await t.credsFor(beds);
  const isHub = t.hub !== null;
  const memBefore = await memoryAfterGc(t.server, rssBytes);
  let memAfter: typeof memBefore | null = null;
  let start: { cpu: number; backend: number; gen: number; delivered: number } | null = null;
  const windows: WindowResult[] = [];
  let connected: LoadRecord | null = null;
  const sosPerWindow = isHub ? o.sos : 0;
  const windowsPerStep = o.runs * 2;
  const args = [
    '--mqtt',
    t.server.mqttUrl,
    '--credentials',
    creds,
    '--beds',
    String(beds),
    '--kinds',
    'mattress',
    '--rate',
    '1',
    '--duration',
    String(o.windowS),
    '--qos',
    '0,1',
    '--runs',
    String(o.runs),
    '--pause',
    String(o.pauseS),
    '--hold',
    String(o.holdS),
    '--drain',
    String(o.drainS),
    '--connect-rate',
    '2000',
    '--warmup',
    String(o.warmupS),
    '--nice',
    String(GENERATOR_NICE),
    ...(isHub
      ? [
          '--hub',
          t.hub!.httpUrl,
          '--admin',
          `${t.hub!.admin.username}:${t.hub!.admin.password}`,
          '--sos',
          String(sosPerWindow),
          '--sos-offset',
          String(t.sosOffset),
          '--sos-timeout',
          '10',
        ]
      : []),
  ];
  t.sosOffset += sosBedsUsed(sosPerWindow, windowsPerStep);
  const timeoutMs =
    120_000 +
    beds * 40 +
    (o.warmupS + o.drainS) * 1000 +
    windowsPerStep * (o.windowS + o.drainS + o.pauseS + 12) * 1000;
  const res = await runLoad(args, {
    timeoutMs,
    onRecord: async (r, genPid) => {
      if (r.type === 'connected') connected = r;
      if ((r.type === 'connected' && o.warmupS === 0) || r.type === 'warmed-up') {
        await sleep(Math.max(0, o.holdS * 1000 - 1500));
        memAfter = await memoryAfterGc(t.server, rssBytes);
      } else if (r.type === 'window-start') {
        const backend = t.backendPids();
        start = {
          cpu: cpuSeconds(t.server.pid),
          backend: treeCpuSeconds(backend),
          gen: cpuSeconds(genPid),
          delivered: await t.delivered(),
        };
      } else if (r.type === 'window' && start) {
        const s = start;
        start = null;
        const qos = r.qos as 0 | 1;
        const delivered = (await settle(t.delivered, s.delivered + r.sent, 5000)) - s.delivered;
        const cpu = cpuSeconds(t.server.pid) - s.cpu;
        const backendPids = t.backendPids();
        const backend = backendPids.length ? treeCpuSeconds(backendPids) - s.backend : null;
        const gen = cpuSeconds(genPid) - s.gen;
        const undelivered = Math.max(0, r.sent - delivered);
        const unacked = qos === 1 ? r.sent - (r.acked ?? 0) : 0;
        const lost = isHub && qos === 1 ? unacked : Math.max(undelivered, unacked);
        const good = qos === 1 && isHub ? (r.acked ?? 0) : Math.min(delivered, r.sent);
        const sosRec = r.sos as Record<string, any> | null;
        windows.push({
          qos,
          sent: r.sent,
          delivered: good,
          lossRatio: r.sent ? lost / r.sent : 0,
          throughputPerSec: good / (r.sendWindowMs / 1000),
          p50Ms: r.latencyMs?.p50 ?? null,
          p99Ms: r.latencyMs?.p99 ?? null,
          p999Ms: r.latencyMs?.p999 ?? null,
          latenessP99Ms: r.latenessMs.p99,
          serverCpuUsPerMsg: good ? (cpu / good) * 1e6 : NaN,
          backendCpuUsPerMsg: backend !== null && good ? (backend / good) * 1e6 : null,
          generatorCpuUsPerMsg: r.sent ? (gen / r.sent) * 1e6 : NaN,
          sos: !sosRec
            ? null
            : 'unavailable' in sosRec
              ? { unavailable: sosRec.unavailable }
              : {
                  presses: sosRec.presses,
                  matched: sosRec.matched,
                  p50: sosRec.latencyMs.p50,
                  p99: sosRec.latencyMs.p99,
                  p999: sosRec.latencyMs.p999,
                  max: sosRec.latencyMs.max,
                },
        });
      }
    },
  });
  const c = connected as LoadRecord | null;
  const connections = c?.devices ?? 0;
  const step: StepResult = {
    beds,
    connections,
    connectMs: c?.connectMs ?? 0,
    connectFailures: c?.connectFailures ?? beds,
    memory: null,
    qos: [],
    sos: null,
    broken: null,
    windows,
  };
  const ma = memAfter as typeof memBefore | null;
  if (ma && connections > 0) {
    step.memory = {
      before: memBefore.rss,
      after: ma.rss,
      bytesPerConnection: Math.round((ma.rss - memBefore.rss) / connections),
      heapBytesPerConnection:
        ma.heapUsed !== null && memBefore.heapUsed !== null
          ? Math.round(
              (ma.heapUsed + (ma.external ?? 0) - memBefore.heapUsed - (memBefore.external ?? 0)) / connections,
            )
          : null,
      gc: ma.gc,
    };
  }
  if (windows.length === 0) {
    step.error = `load generator produced no windows (exit ${res.code}): ${res.stderr.slice(-1500)}`;
    step.broken = 'no result';
    return step;
  }
  for (const qos of [0, 1] as const) {
    const ws = windows.filter((w) => w.qos === qos);
    const q: QosSummary = {
      qos,
      windows: ws.length,
      offeredPerSec: connections,
      throughputPerSec: spread(ws.map((w) => w.throughputPerSec)),
      lossRatio: spread(ws.map((w) => w.lossRatio)),
      p50Ms: spread(ws.map((w) => w.p50Ms)),
      p99Ms: spread(ws.map((w) => w.p99Ms)),
      p999Ms: spread(ws.map((w) => w.p999Ms)),
      latenessP99Ms: spread(ws.map((w) => w.latenessP99Ms)),
      serverCpuUsPerMsg: spread(ws.map((w) => w.serverCpuUsPerMsg)),
      backendCpuUsPerMsg: spread(ws.map((w) => w.backendCpuUsPerMsg)),
      generatorCpuUsPerMsg: spread(ws.map((w) => w.generatorCpuUsPerMsg)),
      broken: null,
    };
    const why: string[] = [];
    if ((q.lossRatio?.median ?? 1) > o.maxLoss) why.push(`loss ${round((q.lossRatio?.median ?? 1) * 100)} %`);
    if (qos === 1 && (q.p99Ms?.median ?? 0) > o.maxP99Ms) why.push(`p99 ${q.p99Ms?.median} ms`);
    if ((q.latenessP99Ms?.median ?? 0) > o.maxP99Ms)
      why.push(`generator lagging (lateness p99 ${q.latenessP99Ms?.median} ms)`);
    if (step.connectFailures > beds * 0.001) why.push(`${step.connectFailures} connect failures`);
    q.broken = why.length ? why.join(', ') : null;
    step.qos.push(q);
  }
  const broken = step.qos.filter((q) => q.broken).map((q) => `QoS ${q.qos}: ${q.broken}`);
  step.broken = broken.length ? broken.join('; ') : null;
  if (isHub) {
    const sw = windows.map((w) => w.sos).filter((s) => s !== null);
    const unavailable = sw.find((s) => 'unavailable' in s!) as { unavailable: string } | undefined;
    if (unavailable) step.sos = { unavailable: unavailable.unavailable };
    else {
      const ok = sw as { presses: number; matched: number; p50: number; p99: number; p999: number; max: number }[];
      const withData = ok.filter((s) => s.matched > 0);
      step.sos = {
        windows: ok.length,
        presses: ok.reduce((a, s) => a + s.presses, 0),
        matched: ok.reduce((a, s) => a + s.matched, 0),
        p50Ms: spread(withData.map((s) => s.p50)),
        p99Ms: spread(withData.map((s) => s.p99)),
        p999Ms: spread(withData.map((s) => s.p999)),
        maxMs: spread(withData.map((s) => s.max)),
      };
    }
  }
  return step;
}

async function spoolTest(t: LiveTarget, beds: number, o: BenchOptions): Promise<SpoolResult> {
  const creds = await t.credsFor(beds);
  const hub = t.hub!;
  const influx = t.influx!;
  const series: [number, number][] = [];
  let peakPoints = 0;
  let peakBytes = 0;
  let restartedAt = 0;
  let killedAt = 0;
  let caughtUpAt: number | null = null;
  let polling = true;
  const t0 = Date.now();
  const written0 = (await scrape(hub.httpUrl))('bedside_telemetry_points_written');
  const poll = (async () => {
    while (polling) {
      try {
        const m = await scrape(hub.httpUrl);
        const depth = m('bedside_telemetry_spool_depth_points');
        const bytes = m('bedside_telemetry_spool_bytes');
        series.push([Date.now() - t0, depth]);
        peakPoints = Math.max(peakPoints, depth);
        peakBytes = Math.max(peakBytes, bytes);
        if (restartedAt && caughtUpAt === null && depth === 0 && peakPoints > 0) caughtUpAt = Date.now();
      } catch {
        /* hub busy */
      }
      await sleep(250);
    }
  })();
  const outageMs = 10_000;
  const duration = 35;
  let summary: LoadRecord | undefined;
  await runLoad(
    [
      '--mqtt',
      hub.mqttUrl,
      '--credentials',
      creds,
      '--beds',
      String(beds),
      '--kinds',
      'mattress',
      '--rate',
      '1',
      '--duration',
      String(duration),
      '--qos',
      '1',
      '--runs',
      '1',
      '--drain',
      '10',
      '--connect-rate',
      '2000',
    ],
    {
      timeoutMs: 180_000,
      onRecord: (r) => {
        if (r.type === 'summary') summary = r;
        if (r.type === 'window-start') {
          void (async () => {
            await sleep(5000);
            log(`spool: killing influxd for ${outageMs / 1000} s`);
            killedAt = Date.now();
            await influx.kill();
            await sleep(outageMs);
            await influx.restart();
            restartedAt = Date.now();
            log('spool: influxd restarted');
          })();
        }
      },
    },
  );
  const deadline = Date.now() + 60_000;
  while (caughtUpAt === null && Date.now() < deadline && restartedAt) await sleep(250);
  polling = false;
  await poll;
  const written = (await scrape(hub.httpUrl))('bedside_telemetry_points_written') - written0;
  return {
    beds,
    outageMs: restartedAt && killedAt ? restartedAt - killedAt : 0,
    peakSpoolPoints: peakPoints,
    peakSpoolBytes: peakBytes,
    catchUpMs: caughtUpAt !== null && restartedAt ? Math.max(0, caughtUpAt - restartedAt) : null,
    pointsWrittenDuringRun: written,
    lossRatio: summary?.lossRatio ?? 1,
    p99Ms: summary?.latencyMs?.p99 ?? null,
    series: series.filter((_, i) => i % 4 === 0),
  };
}

/**
 * Profiles a steady window only: the hub runs as in the steps, the load connects and sends, and
 * the preload (bench/profile-on-signal.ts) samples from 5 s after the first window starts for
 * PROFILE_WINDOW_S, so start-up, provisioning and the connect storm stay out of the picture.
 */
const PROFILE_WINDOW_S = 10;
async function profileHub(
  t: LiveTarget,
  beds: number,
  o: BenchOptions,
): Promise<{ summary: ProfileSummary; load: Record<string, unknown> | null }> {
  const creds = await t.credsFor(beds);
  const hub = t.hub!;
  const profileFile = join(hub.dataDir, 'bench-window.cpuprofile');
  rmSync(profileFile, { force: true });
  const windowS = o.quick ? 2 : PROFILE_WINDOW_S;
  let load: LoadRecord | null = null;
  let profiling: Promise<void> | null = null;
  await runLoad(
    [
      '--mqtt',
      hub.mqttUrl,
      '--hub',
      hub.httpUrl,
      '--admin',
      `${hub.admin.username}:${hub.admin.password}`,
      '--credentials',
      creds,
      '--beds',
      String(beds),
      '--kinds',
      'mattress',
      '--rate',
      '1',
      '--duration',
      String(windowS + 10),
      '--qos',
      '1',
      '--drain',
      '10',
      '--connect-rate',
      '2000',
      '--sos',
      String(o.sos),
      '--sos-offset',
      String(t.sosOffset),
    ],
    {
      timeoutMs: 180_000,
      onRecord: (r) => {
        if (r.type === 'summary') load = r;
        if (r.type === 'window-start' && !profiling) {
          profiling = (async () => {
            await sleep(5_000);
            process.kill(hub.pid, 'SIGURG');
            await sleep(windowS * 1000);
            process.kill(hub.pid, 'SIGURG');
          })();
        }
      },
    },
  );
  t.sosOffset += sosBedsUsed(o.sos, 1);
  if (profiling) await profiling;
  await waitFor(() => existsSync(profileFile), { timeoutMs: 20_000, intervalMs: 100, what: 'window profile' });
  await sleep(500);
  const keep = join(o.outDir, `profile-${t.name}.cpuprofile`);
  writeFileSync(keep, readFileSync(profileFile));
  return { summary: { ...summariseProfile(keep), file: keep.replace(ROOT + '/', '') }, load };
}

function computeRatios(targets: TargetResult[]): Record<string, unknown> {
  const by = (n: TargetName) => targets.find((t) => t.name === n);
  const out: Record<string, unknown> = {};
  const sustained = (t: TargetResult | undefined, qos: 0 | 1) => {
    let best: { beds: number; throughput: number } | null = null;
    for (const s of t?.steps ?? []) {
      const q = s.qos.find((x) => x.qos === qos);
      if (q && !q.broken && q.throughputPerSec) best = { beds: s.beds, throughput: q.throughputPerSec.median };
    }
    return best;
  };
  const cpuAt = (t: TargetResult | undefined, beds: number, qos: 0 | 1) =>
    t?.steps.find((s) => s.beds === beds)?.qos.find((q) => q.qos === qos)?.serverCpuUsPerMsg?.median ?? null;
  for (const hubName of ['hub-embedded', 'hub-prod'] as const) {
    const hub = by(hubName);
    if (!hub) continue;
    for (const qos of [0, 1] as const) {
      const rows: Record<string, unknown>[] = [];
      for (const s of hub.steps) {
        const h = cpuAt(hub, s.beds, qos);
        const a = cpuAt(by('aedes'), s.beds, qos);
        const m = cpuAt(by('mosquitto'), s.beds, qos);
        rows.push({
          beds: s.beds,
          hubCpuUsPerMsg: h,
          aedesCpuUsPerMsg: a,
          mosquittoCpuUsPerMsg: m,
          hubOverAedes: h && a ? round(h / a) : null,
          hubOverMosquitto: h && m ? round(h / m) : null,
          hubBroken: s.qos.find((q) => q.qos === qos)?.broken ?? null,
        });
      }
      const hs = sustained(hub, qos);
      const ms = sustained(by('mosquitto'), qos);
      const as = sustained(by('aedes'), qos);
      out[`${hubName}.qos${qos}`] = {
        cpuPerMessage: rows,
        sustained: { hub: hs, aedes: as, mosquitto: ms },
        throughputHubOverMosquitto: hs && ms ? round(hs.throughput / ms.throughput) : null,
        throughputHubOverAedes: hs && as ? round(hs.throughput / as.throughput) : null,
        mosquittoAtLadderTop:
          ms &&
          by('mosquitto')!.steps.length > 0 &&
          ms.beds === by('mosquitto')!.steps[by('mosquitto')!.steps.length - 1].beds,
      };
    }
  }
  return out;
}

export async function runBench(
  o: BenchOptions,
): Promise<{ results: BenchResults; jsonPath: string; mdPath: string | null }> {
  const started = Date.now();
  const nofile = raiseFileLimit(200_000);
  mkdirSync(o.outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'bedside-bench-'));
  const machine = machineInfo(nofile, ROOT);
  log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverageAtStart.join(' ')}; nofile ${nofile}`,
  );
  const budgetMs = o.budgetMin * 60_000;
  const notes: string[] = [];
  const results: BenchResults = {
    version: 1,
    startedAt: new Date(started).toISOString(),
    finishedAt: '',
    elapsedS: 0,
    options: o,
    machine,
    settings: {
      load: `devices-sim load, own process at nice ${GENERATOR_NICE} (every thread; the devices would be elsewhere in production, here they share the two cores), 1 mattress connection per bed (MQTT 3.1.1, clean session, keepalive 30 s), telemetry 1 msg/s per bed, open loop; windows of ${o.windowS} s, QoS 0 and 1 interleaved, ${o.runs} runs each; drain ${o.drainS} s; after connecting, ${o.warmupS} s of unmeasured QoS 1 warm-up, then ${o.holdS} s idle hold`,
      hub: `node ${HUB_NODE_FLAGS.join(' ')} (as npm start), LOG_LEVEL=warn, MQTT_CONNECTIONS_PER_SECOND_PER_IP=1000000 (bench only), everything else default (INGEST_COMMIT_DELAY_MS=0, TELEMETRY_COMMIT_DELAY_MS=50, INGEST_COMMIT_MAX_BATCH=2000, INFLUX_BATCH_SIZE=5000, INFLUX_FLUSH_MS=200)`,
      postgres: 'PostgreSQL from libs/testing startPostgres: fsync=off, max_connections=200, loopback',
      influxd: 'influxd 1.6 from libs/testing startInflux: inmem index, wal-fsync-delay 0s, HTTP only',
      aedes: 'bench/bare-aedes.ts: Aedes.createBroker() defaults, no hooks (any login), in-memory persistence',
      mosquitto: 'allow_anonymous true, persistence false, log_dest none, max_connections -1, set_tcp_nodelay true',
      subscriber:
        'relays: one mqtt.js subscriber in the harness on bedside/v1/devices/+/telemetry (QoS 0), counts every message',
      sos: `hub targets: ${o.sos} call-button presses per window ({eventId, type: button.pressed, ts}, QoS 1), each on a different bed, timed publish -> alarm.raised on GET /api/alarms/stream, from the load's SOS probe process (its own event loop, normal priority)`,
    },
    targets: [],
    ratios: {},
    influxWrite: null,
    spool: null,
    profiles: [],
    notes,
  };
  try {
    for (const name of o.targets) {
      const tr: TargetResult = { name, label: TARGET_LABELS[name], steps: [] };
      results.targets.push(tr);
      if (Date.now() - started > budgetMs) {
        tr.skipped = 'time budget used up';
        continue;
      }
      log(`target ${name}: starting`);
      let t: LiveTarget | null = null;
      try {
        t = await startTarget(name, work);
        for (const beds of o.steps) {
          const left = budgetMs - (Date.now() - started);
          const needed = (beds / 200 + o.runs * 2 * (o.windowS + o.pauseS + 2) + o.holdS + o.warmupS + 2) * 1000;
          const reserve = o.targets.slice(o.targets.indexOf(name) + 1).length * 40_000 + (o.profile ? 60_000 : 0);
          if (needed + reserve > left && tr.steps.length > 0) {
            notes.push(`${name}: stopped before ${beds} beds to stay within the ${o.budgetMin} min budget`);
            break;
          }
          log(`target ${name}: ${beds} beds`);
          const step = await runStep(t, beds, o);
          tr.steps.push(step);
          const q = step.qos
            .map(
              (x) =>
                `QoS${x.qos} ${x.throughputPerSec?.median ?? '-'} msg/s loss ${round((x.lossRatio?.median ?? 0) * 100)} % p99 ${x.p99Ms?.median ?? '-'} ms cpu ${x.serverCpuUsPerMsg?.median ?? '-'} µs/msg`,
            )
            .join(' | ');
          log(`target ${name}: ${beds} beds -> ${q}${step.broken ? ` BROKEN (${step.broken})` : ''}`);
          if (step.broken) break;
        }
        if (name === 'hub-prod' && o.spool && t.influx) {
          const ok = tr.steps.filter((s) => !s.qos.find((q) => q.qos === 1)?.broken);
          const beds = Math.min(ok.length ? ok[ok.length - 1].beds : o.steps[0], 1000);
          log(`spool test at ${beds} beds`);
          try {
            results.spool = await spoolTest(t, beds, o);
          } catch (err) {
            results.spool = { error: (err as Error).message };
          }
        }
        if (o.profile && t.hub) {
          const ok = tr.steps.filter((s) => !s.broken);
          const beds = ok.length ? ok[ok.length - 1].beds : o.steps[0];
          log(`profiling ${name} at ${beds} beds`);
          try {
            const p = await profileHub(t, beds, o);
            results.profiles.push({ target: name, beds, load: p.load, summary: p.summary });
          } catch (err) {
            notes.push(`${name}: profile failed: ${(err as Error).message}`);
          }
        }
        tr.provisioning = t.provisioning;
      } catch (err) {
        tr.error = (err as Error).stack ?? String(err);
        log(`target ${name} failed: ${(err as Error).message}`);
      } finally {
        await t?.stop().catch(() => undefined);
      }
    }
    if (o.influx) {
      const runs: InfluxWriteResult[] = [];
      const points = o.quick ? 20_000 : 200_000;
      for (let i = 0; i < Math.max(3, o.runs); i++) {
        log(`influx write ${i + 1}: ${points} points`);
        runs.push(await influxWriteBench(points, 5000, 2));
      }
      results.influxWrite = { runs, pointsPerSecond: spread(runs.map((r) => r.pointsPerSecond)) };
    }
    if (o.fairness)
      results.deviceFairness = await deviceFairnessBench(
        o.quick ? { ...DEFAULT_DEVICE_FAIRNESS, buttons: 3, windowS: 2 } : DEFAULT_DEVICE_FAIRNESS,
        log,
      );
    if (o.corpus) {
      // Last, on an otherwise idle machine: its hubs run many times faster than real time.
      results.corpus = await corpusBench(o.corpus, log);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  results.ratios = computeRatios(results.targets);
  results.finishedAt = new Date().toISOString();
  results.elapsedS = Math.round((Date.now() - started) / 1000);
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const jsonPath = join(o.outDir, `${stamp}${o.quick ? '-quick' : ''}.json`);
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
  let mdPath: string | null = null;
  if (o.docs) {
    mdPath = join(ROOT, 'docs/benchmarks.md');
    const notesFile = join(ROOT, 'bench/NOTES.md');
    writeFileSync(
      mdPath,
      renderMarkdown(
        results,
        jsonPath.replace(ROOT + '/', ''),
        existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '',
      ),
    );
  }
  log(`done in ${results.elapsedS} s: ${jsonPath}${mdPath ? ` and ${mdPath}` : ''}`);
  return { results, jsonPath, mdPath };
}

/** `--render results.json`: regenerate docs/benchmarks.md from a results file (profiles re-summarised from their saved .cpuprofile). */
export function renderFromResults(file: string, supplement?: string): string {
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  if (supplement) {
    // A later run of some targets at more steps (e.g. relays past the budget cut): merged per target, noted.
    const extra = JSON.parse(readFileSync(supplement, 'utf8')) as BenchResults;
    for (const t of extra.targets) {
      const mine = results.targets.find((x) => x.name === t.name);
      if (!mine) continue;
      const have = new Set(mine.steps.map((s) => s.beds));
      mine.steps.push(...t.steps.filter((s) => !have.has(s.beds)));
      mine.steps.sort((a, b) => a.beds - b.beds);
    }
    results.notes.push(
      `Steps of ${extra.targets.map((t) => t.name).join(', ')} beyond the main run come from a supplementary run (${supplement.replace(ROOT + '/', '')}, started ${extra.startedAt.slice(11, 16)} UTC, same generator and settings, load average at start ${extra.machine.loadAverageAtStart.join(', ')}).`,
    );
    results.ratios = computeRatios(results.targets);
  }
  for (const p of results.profiles) {
    const prof = join(ROOT, p.summary.file);
    if (existsSync(prof)) p.summary = { ...summariseProfile(prof), file: p.summary.file };
  }
  const mdPath = join(ROOT, 'docs/benchmarks.md');
  const notesFile = join(ROOT, 'bench/NOTES.md');
  writeFileSync(
    mdPath,
    renderMarkdown(results, file.replace(ROOT + '/', ''), existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : ''),
  );
  return mdPath;
}

if (require.main === module && process.argv.includes('--render')) {
  const abs = (f: string) => (f.startsWith('/') ? f : join(process.cwd(), f));
  const file = process.argv[process.argv.indexOf('--render') + 1];
  const sup = process.argv.includes('--supplement')
    ? abs(process.argv[process.argv.indexOf('--supplement') + 1])
    : undefined;
  log(`wrote ${renderFromResults(abs(file), sup)}`);
} else if (require.main === module) {
  runBench(parseOptions(process.argv.slice(2)))
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
