/**
 * Clustered mode against one hub at equal beds, on one PostgreSQL: N hubs behind HAProxy with
 * core NATS (the loopback test bed of docs/cluster.md), then takeovers after kill -9 of a node
 * under load. Part of `npm run bench` with `--cluster` (opt-in: several minutes); alone:
 *
 *   node dist/bench/cluster.bench.js [--beds 1000] [--kills 3] [--runs 3] [--window-s 5] [--sos 10] [--warmup-s 20] [--docs]
 *
 * Alone it writes bench/results/<time>-cluster.json and, with --docs, replaces the cluster
 * section of docs/benchmarks.md with these figures.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { eventsTopic } from '../libs/contracts/src/topics';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { startPostgres, type PostgresServer } from '../libs/testing/src/postgres-server';
import { waitFor } from '../libs/testing/src/wait-for';
import { HubRestClient } from '../devices-sim/src/hub/hub-rest.client';
import type { BedCredentials } from '../devices-sim/src/hub/credentials';
import { provisionLean, type LeanFleetRoot } from '../devices-sim/src/load/lean-provisioner';
import { startBenchCluster, type BenchCluster } from './lib/bench-cluster';
import { runLoad, type WindowRecord } from './lib/load';
import { log as defaultLog, sleep } from './lib/log';
import { benchOptions } from './lib/options';
import { cpuSeconds, raiseFileLimit, treeCpuSeconds } from './lib/proc';
import { saveLoneRun, startLoneRun } from './lib/lone-run';
import { writeClusterSection } from './lib/report-files';
import type { BenchOptions, StepResult } from './lib/results';
import { ROOT, scrape, spawnHub, type HubServer } from './lib/servers';
import { round, spread, type Spread } from './lib/stats';
import type { ProfileSummary } from './lib/profile';
import { GENERATOR_NICE, profileHub, runStep } from './lib/steps';
import { childTrees, GC_SECONDS, startTarget, type LiveTarget } from './lib/targets';

export interface ClusterBenchOptions {
  beds: number;
  nodes: number;
  /** Repeated QoS 0 and QoS 1 windows of the steady-state comparison. */
  runs: number;
  windowS: number;
  /** SOS presses per steady window. */
  sos: number;
  /** kill -9 rounds, each of another node, which is restarted afterwards. */
  kills: number;
  /** Call buttons pressed on the killed node's devices right after each kill. */
  pressesPerKill: number;
  /** CLUSTER_LEASE_TTL_MS of the hubs (the production default). */
  leaseTtlMs: number;
  /** Unmeasured QoS 1 sending before the windows, on both sides (at least the suite's warm-up). */
  warmupS: number;
}

export const DEFAULT_CLUSTER_BENCH: ClusterBenchOptions = {
  beds: 1000,
  nodes: 3,
  runs: 3,
  windowS: 5,
  sos: 10,
  kills: 3,
  pressesPerKill: 4,
  leaseTtlMs: 5000,
  warmupS: 20,
};

export interface TakeoverRound {
  node: string;
  partitionsHeld: number;
  /** kill -9 -> no partition lease left on the node, ms (null: not within the wait). */
  movedMs: number | null;
  /** Buttons connected through HAProxy that the hash had placed on the killed node. */
  buttonsOnNode: number;
  presses: number;
  /** SOS press (sent right after the kill, so the device's reconnect is included) -> alarm.raised on the console, ms. */
  pressToConsoleMs: number[];
  /** The background load's QoS 1 window around the kill (its devices do not reconnect). */
  load: { sent: number; acked: number | null } | null;
  error?: string;
}

export interface ClusterBenchResult {
  options: ClusterBenchOptions;
  settings: string;
  single: StepResult | null;
  /**
   * The single hub again with 1/N of the beds connected: the load one cluster node carries. A
   * hub's CPU per message falls steeply as its load grows (fixed costs and batches shared by
   * more messages), so this separates what clustering costs from what a thinner load costs.
   */
  singleShare?: StepResult | null;
  cluster: StepResult | null;
  /** Cluster ÷ single-node CPU per message, by QoS: hubs alone, and everything (hubs + PostgreSQL + NATS + HAProxy). */
  cpuRatio: Record<'qos0' | 'qos1', { hubs: number | null; total: number | null }>;
  /**
   * Relays that do nothing but pass messages on (bare aedes, mosquitto), one process each, at all
   * the beds and at a node's share: what a thinner load per process costs a broker with no hub
   * code and no cluster at all, the floor under the cluster ÷ single ratio on this machine.
   */
  relays?: Partial<Record<RelayName, { full: StepResult | null; share: StepResult | null }>>;
  /** Cluster ÷ the single hub at a node's share of the beds (singleShare). */
  shareRatio?: Record<'qos0' | 'qos1', { hubs: number | null; total: number | null }>;
  takeovers: TakeoverRound[];
  takeover: {
    movedMs: Spread | null;
    presses: number;
    seen: number;
    pressP50Ms: number | null;
    pressP99Ms: number | null;
    pressMaxMs: number | null;
  };
  /** Cores used with every bed provisioned and no device connected, over IDLE_S: the fixed cost of each side. */
  idle: { single: IdleCores | null; cluster: IdleCores | null };
  /** NATS messages the hubs published per device message stored, over the steady cluster windows. */
  busPerMessage: number | null;
  /** CPU profile of a steady QoS 1 window of the single hub and of one cluster node (hub-1), with the messages it handled. */
  profiles: { single: SideProfile | null; clusterNode: SideProfile | null };
  errors: string[];
}

export interface SideProfile {
  summary: ProfileSummary;
  /** Device messages the profiled process received during the profile (its share of the load). */
  messages: number;
}

/**
 * Profiles the target's first hub during a steady QoS 1 window (steps' profileHub); with N
 * nodes behind the proxy it receives about 1/N of the messages. The profile file stays in
 * bench/results/cluster-<side>/, out of git.
 */
async function profileSide(
  t: LiveTarget,
  c: ClusterBenchOptions,
  o: BenchOptions,
  side: string,
  nodes: number,
  say: (line: string) => void,
): Promise<SideProfile | null> {
  try {
    say(`cluster bench: profiling ${side}`);
    const outDir = join(ROOT, 'bench/results', `cluster-${side}`);
    mkdirSync(outDir, { recursive: true });
    const p = await profileHub(t, c.beds, { ...o, outDir });
    return { summary: p.summary, messages: Math.round((c.beds * p.summary.durationMs) / 1000 / nodes) };
  } catch (err) {
    say(`cluster bench: profile of ${side} failed: ${(err as Error).message}`);
    return null;
  }
}

export interface IdleCores {
  hubs: number;
  postgres: number;
  [process: string]: number;
}

const IDLE_S = 5;

/** Cores the processes use while nothing is sent (lease renewals, stream tails, timers). */
async function idleCores(hubPids: () => number[], side: () => Record<string, number[]>): Promise<IdleCores> {
  const read = () => ({
    hubs: hubPids().reduce((a, p) => a + cpuSeconds(p), 0),
    postgres: treeCpuSeconds(childTrees(['postgres'])),
    ...Object.fromEntries(Object.entries(side()).map(([k, pids]) => [k, treeCpuSeconds(pids)])),
  });
  await sleep(2000);
  const a: Record<string, number> = read();
  await sleep(IDLE_S * 1000);
  const b: Record<string, number> = read();
  return Object.fromEntries(Object.keys(b).map((k) => [k, round((b[k] - (a[k] ?? 0)) / IDLE_S)])) as IdleCores;
}

const quantile = (xs: number[], q: number): number | null =>
  xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** CPU per message of one target at one QoS: hubs alone and the whole side (backend and proxies included). */
function cpuOf(step: StepResult | null, qos: 0 | 1): { hubs: number | null; total: number | null } {
  const q = step?.qos.find((x) => x.qos === qos);
  const hubs = q?.serverCpuUsPerMsg?.median ?? null;
  if (hubs === null) return { hubs: null, total: null };
  const side = Object.values(q?.sideCpuUsPerMsg ?? {}).reduce((a, s) => a + (s?.median ?? 0), 0);
  return { hubs, total: hubs + (q?.backendCpuUsPerMsg?.median ?? 0) + side };
}

const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b) : null);

const RELAYS = ['aedes', 'mosquitto'] as const;
export type RelayName = (typeof RELAYS)[number];

/** The beds one node of the cluster carries. */
export const shareOf = (c: Pick<ClusterBenchOptions, 'beds' | 'nodes'>): number => Math.round(c.beds / c.nodes);

/** Provisions beds (mattress + call button each) once, and writes credentials files for the load. */
function bedSource(api: HubRestClient, prefix: string, dir: string, say: (s: string) => void) {
  let root: LeanFleetRoot | undefined;
  const beds: BedCredentials[] = [];
  const provisioning: { beds: number; ms: number }[] = [];
  return {
    beds,
    provisioning,
    credsFor: async (n: number) => {
      if (beds.length < n) {
        const t0 = Date.now();
        const more = await provisionLean(api, n - beds.length, {
          prefix,
          firstIndex: beds.length,
          root,
          concurrency: 16,
          kindsFor: () => ['mattress', 'button'],
        });
        root = more.root;
        beds.push(...more.beds);
        provisioning.push({ beds: more.beds.length, ms: Date.now() - t0 });
        say(`${prefix}: provisioned ${more.beds.length} beds in ${Date.now() - t0} ms`);
      }
      const file = join(dir, `${prefix}-${n}.json`);
      writeFileSync(file, JSON.stringify({ version: 1, createdAt: new Date().toISOString(), beds: beds.slice(0, n) }));
      return file;
    },
  };
}

/** A console following the alarm stream through HAProxy, resuming with Last-Event-ID whenever it is cut. */
function followConsole(url: string, authHeader: string) {
  const streams: AlarmStreamClient[] = [];
  let on = true;
  const done = (async () => {
    let last: number | undefined;
    while (on) {
      try {
        const s = await openAlarmStream(url, authHeader, { lastEventId: last });
        if (!on) {
          // Opened while stopping: nobody would close it.
          s.close();
          break;
        }
        if (s.status !== 200) throw new Error(`stream ${s.status}`);
        streams.push(s);
        await s.ended;
        last = s.lastEventId() ?? last;
      } catch {
        await sleep(200);
      }
    }
  })();
  return {
    ready: () => waitFor(() => streams.length > 0, { what: 'the console stream', timeoutMs: 20_000 }),
    sosRaisedAt: (bedId: string) =>
      streams
        .flatMap((s) => s.events)
        .find((e) => e.type === 'alarm.raised' && e.data.alarm.bedId === bedId && e.data.alarm.kind === 'sos')
        ?.receivedAt,
    stop: async () => {
      on = false;
      streams.forEach((s) => s.close());
      await done;
    },
  };
}

/** A call button as a device runs it: reconnects on its own (through the proxy) and resends unacknowledged presses. */
function connectButton(url: string, bed: BedCredentials): Promise<MqttClient> {
  const d = bed.devices.button;
  return mqtt.connectAsync(url, {
    clientId: d.mqtt.clientId,
    username: d.mqtt.username,
    password: d.mqtt.password,
    protocolVersion: 4,
    reconnectPeriod: 300,
    connectTimeout: 5000,
  });
}

/**
 * The steady step's options: the suite's, or the defaults of a full run. Both sides warm up for
 * `warmupS` and get no forced GC before the windows: a node that receives 1/N of the
 * messages takes N times as long to get its hot code optimised, and a full GC right before the
 * windows deoptimised it again (V8 drops code whose embedded object shapes died), so the
 * windows measured recompilation, N times over in the cluster. Memory is measured in the
 * suite's own steps.
 */
function stepOptions(c: ClusterBenchOptions, base?: BenchOptions): BenchOptions {
  const o = base ?? benchOptions({ docs: false });
  return {
    ...o,
    runs: c.runs,
    windowS: c.windowS,
    sos: c.sos,
    warmupS: Math.max(o.warmupS, c.warmupS),
    measureMemory: false,
  };
}

export async function clusterBench(
  c: ClusterBenchOptions,
  say: (line: string) => void = defaultLog,
  base?: BenchOptions,
): Promise<ClusterBenchResult> {
  const o = stepOptions(c, base);
  const work = mkdtempSync(join(tmpdir(), 'bedside-bench-cluster-'));
  const errors: string[] = [];
  const result: ClusterBenchResult = {
    options: c,
    settings: `one PostgreSQL (libs/testing startPostgres: fsync=off) for both sides, each in its own database; telemetry stored in PostgreSQL (no InfluxDB on either side); single-node = one hub (DATABASE_URL only) reached directly; cluster = ${c.nodes} hubs (CLUSTER_NODE_ID, NATS_URL, MQTT_PROXY_PROTOCOL=true, CLUSTER_LEASE_TTL_MS=${c.leaseTtlMs}, 64 partitions) behind HAProxy (renderHaproxyConfig, health checks every 1 s), one nats-server; every hub as in the other cases (npm start's Node flags, LOG_LEVEL=warn); the load and the SOS probe (stream on /api/alarms/stream) go through HAProxy; on both sides ${o.warmupS} s of unmeasured QoS 1 warm-up after connecting and no forced GC before the windows`,
    single: null,
    singleShare: null,
    relays: {},
    cluster: null,
    cpuRatio: { qos0: { hubs: null, total: null }, qos1: { hubs: null, total: null } },
    shareRatio: { qos0: { hubs: null, total: null }, qos1: { hubs: null, total: null } },
    takeovers: [],
    takeover: { movedMs: null, presses: 0, seen: 0, pressP50Ms: null, pressP99Ms: null, pressMaxMs: null },
    idle: { single: null, cluster: null },
    busPerMessage: null,
    profiles: { single: null, clusterNode: null },
    errors,
  };
  let pg: PostgresServer | null = null;
  let cluster: BenchCluster | null = null;
  try {
    pg = await startPostgres();

    // Single node first, on its own database of the same PostgreSQL.
    say(`cluster bench: single node, ${c.beds} beds`);
    const single = await spawnHub({ env: { DATABASE_URL: await pg.createDatabase('bench_single') } });
    try {
      const src = bedSource(new HubRestClient(single.httpUrl, single.admin, 60_000), 'single', work, say);
      const t: LiveTarget = {
        name: 'hub-prod',
        server: single,
        hub: single,
        pg,
        provisioning: src.provisioning,
        sosOffset: 0,
        backendPids: () => childTrees(['postgres']),
        delivered: async () =>
          (await scrape(single.httpUrl))('bedside_mqtt_messages_stored_total', { channel: 'telemetry' }),
        gcSeconds: async () => (await scrape(single.httpUrl))(GC_SECONDS),
        credsFor: src.credsFor,
        stop: () => single.stop(),
      };
      await t.credsFor(c.beds);
      result.idle.single = await idleCores(
        () => [single.pid],
        () => ({}),
      );
      // The node's share first: its devices reconnect for the full step, so no bed of it sits
      // with its devices gone during the other's windows.
      say(`cluster bench: single node, ${shareOf(c)} beds (a node's share)`);
      result.singleShare = await runStep(t, shareOf(c), o);
      result.single = await runStep(t, c.beds, o);
      result.profiles.single = await profileSide(t, c, o, 'single', 1, say);
    } catch (err) {
      errors.push(`single node: ${(err as Error).message}`);
    } finally {
      await single.stop();
      rmSync(single.dataDir, { recursive: true, force: true });
    }

    for (const name of RELAYS) {
      say(`cluster bench: ${name} alone, ${c.beds} and ${shareOf(c)} beds`);
      const relay = await startTarget(name, work);
      try {
        const full = await runStep(relay, c.beds, o);
        result.relays![name] = { full, share: await runStep(relay, shareOf(c), o) };
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
      } finally {
        await relay.stop();
      }
    }

    // The cluster: N hubs, NATS, HAProxy in front.
    say(`cluster bench: ${c.nodes} nodes, ${c.beds} beds`);
    cluster = await startBenchCluster(pg, {
      nodes: c.nodes,
      leaseTtlMs: c.leaseTtlMs,
      beds: c.beds,
      database: 'bench_cluster',
    });
    const { hubs, nats, sql, held } = cluster;
    const consoleUrl = cluster.httpUrl;
    const mqttUrl = cluster.mqttUrl;
    const front: HubServer = { ...hubs[0], httpUrl: consoleUrl, mqttUrl };
    const src = bedSource(new HubRestClient(consoleUrl, hubs[0].admin, 60_000), 'cluster', work, say);
    const t: LiveTarget = {
      name: 'hub-prod',
      // Memory is read from the first node only; the cluster table does not show it.
      server: front,
      hub: front,
      pg,
      provisioning: src.provisioning,
      sosOffset: 0,
      backendPids: () => childTrees(['postgres']),
      serverPids: () => hubs.map((h) => h.pidNow()),
      sidePids: () => ({
        'nats-server': nats.pid ? [nats.pid] : [],
        haproxy: childTrees(['haproxy']),
      }),
      delivered: () => cluster!.sumMetric('bedside_mqtt_messages_stored_total', { channel: 'telemetry' }),
      gcSeconds: () => cluster!.sumMetric(GC_SECONDS, {}),
      credsFor: src.credsFor,
      stop: () => Promise.resolve(),
    };
    try {
      await t.credsFor(c.beds);
      result.idle.cluster = await idleCores(t.serverPids!, t.sidePids!);
      const bus = () =>
        Promise.all(
          ['bedside_cluster_bus_published_total', 'bedside_mqtt_messages_stored_total'].map((m) =>
            cluster!.sumMetric(m, {}),
          ),
        );
      const [pub0, stored0] = await bus();
      result.cluster = await runStep(t, c.beds, o);
      const [pub1, stored1] = await bus();
      result.busPerMessage = stored1 > stored0 ? round((pub1 - pub0) / (stored1 - stored0)) : null;
      result.profiles.clusterNode = await profileSide(t, c, o, 'node', c.nodes, say);
    } catch (err) {
      errors.push(`cluster steady state: ${(err as Error).message}`);
    }
    for (const q of [0, 1] as const) {
      const s = cpuOf(result.single, q);
      const k = cpuOf(result.cluster, q);
      result.cpuRatio[`qos${q}`] = { hubs: ratio(k.hubs, s.hubs), total: ratio(k.total, s.total) };
      const share = cpuOf(result.singleShare ?? null, q);
      result.shareRatio![`qos${q}`] = { hubs: ratio(k.hubs, share.hubs), total: ratio(k.total, share.total) };
    }

    // Takeovers: kill -9 of one node at a time under load; buttons of that node press SOS at once.
    const creds = await src.credsFor(c.beds);
    const follower = followConsole(consoleUrl, hubs[0].authHeader);
    await follower.ready();
    // Buttons beyond those the SOS probe pressed, from the last bed down: each round its own beds.
    let nextButton = src.beds.length - 1;
    try {
      for (let k = 0; k < c.kills; k++) {
        const victim = hubs[k % hubs.length];
        const node = `hub-${(k % hubs.length) + 1}`;
        const round: TakeoverRound = {
          node,
          partitionsHeld: 0,
          movedMs: null,
          buttonsOnNode: 0,
          presses: 0,
          pressToConsoleMs: [],
          load: null,
        };
        result.takeovers.push(round);
        // Enough buttons that the hash places several on each node.
        const perRound = c.pressesPerKill * c.nodes * 3;
        const candidates = src.beds.slice(Math.max(t.sosOffset, nextButton - perRound + 1), nextButton + 1);
        nextButton -= candidates.length;
        const buttons: { bed: BedCredentials; client: MqttClient }[] = [];
        try {
          for (const bed of candidates) buttons.push({ bed, client: await connectButton(mqttUrl, bed) });
          const sessions = await sql<{ device_id: string; node_id: string }>(
            'select device_id, node_id from device_sessions where device_id = any($1)',
            [buttons.map((b) => b.bed.devices.button.deviceId)],
          );
          const onNode = new Set(sessions.filter((s) => s.node_id === node).map((s) => s.device_id));
          const chosen = buttons.filter((b) => onNode.has(b.bed.devices.button.deviceId));
          round.buttonsOnNode = chosen.length;
          const pressing = chosen.slice(0, c.pressesPerKill);
          let loadRecord: WindowRecord | null = null;
          const killTime = { arrived: (): void => undefined };
          const killedOnce = new Promise<void>((r) => (killTime.arrived = r));
          const load = runLoad(
            [
              '--mqtt',
              mqttUrl,
              '--credentials',
              creds,
              '--beds',
              String(c.beds),
              '--kinds',
              'mattress',
              '--rate',
              '1',
              '--duration',
              '25',
              '--qos',
              '1',
              '--drain',
              '3',
              '--connect-rate',
              '2000',
              '--nice',
              String(GENERATOR_NICE),
            ],
            {
              timeoutMs: 120_000,
              onRecord: async (r) => {
                if (r.type === 'summary') loadRecord = r;
                if (r.type === 'window-start') {
                  await sleep(8000);
                  killTime.arrived();
                }
              },
            },
          );
          await Promise.race([killedOnce, load]);
          round.partitionsHeld = await held(node);
          say(
            `cluster bench: kill -9 ${node} (${round.partitionsHeld} partitions, ${pressing.length} buttons pressing)`,
          );
          const killedAt = Date.now();
          await victim.kill();
          const pressedAt = new Map<string, number>();
          const presses = pressing.map(async (b) => {
            const at = Date.now();
            pressedAt.set(b.bed.bedId!, at);
            await b.client.publishAsync(
              eventsTopic(b.bed.devices.button.deviceId),
              JSON.stringify({ eventId: `kill-${k}-${b.bed.bedId}`, type: 'button.pressed', ts: at }),
              { qos: 1 },
            );
          });
          round.presses = pressing.length;
          const moved = waitFor(async () => ((await held(node)) === 0 ? Date.now() : null), {
            what: `${node}'s partitions taken`,
            timeoutMs: 30_000,
            intervalMs: 50,
          }).then(
            (at) => (round.movedMs = at - killedAt),
            () => undefined,
          );
          const seen = waitFor(() => pressing.every((b) => follower.sosRaisedAt(b.bed.bedId!) !== undefined), {
            what: 'the presses on the console',
            timeoutMs: 30_000,
            intervalMs: 20,
          }).catch(() => undefined);
          await Promise.all([moved, seen, Promise.allSettled(presses)]);
          for (const b of pressing) {
            const at = follower.sosRaisedAt(b.bed.bedId!);
            if (at !== undefined) round.pressToConsoleMs.push(at - pressedAt.get(b.bed.bedId!)!);
          }
          await load;
          const lr = loadRecord as WindowRecord | null;
          round.load = lr ? { sent: lr.sent, acked: lr.acked } : null;
          say(
            `cluster bench: ${node} moved in ${round.movedMs ?? '-'} ms; presses -> console ${round.pressToConsoleMs.join('/')} ms`,
          );
        } catch (err) {
          round.error = (err as Error).message;
          errors.push(`kill ${node}: ${(err as Error).message}`);
        } finally {
          await Promise.all(buttons.map((b) => b.client.endAsync(true).catch(() => undefined)));
        }
        // Back on its ports: HAProxy's health check puts it in again, and it claims partitions.
        await victim.restart();
        await waitFor(async () => (await held(node)) > 0, {
          what: `${node} holding partitions again`,
          timeoutMs: 30_000,
          intervalMs: 200,
        }).catch(() => errors.push(`${node} held no partition 30 s after its restart`));
        await sleep(3000);
      }
    } finally {
      await follower.stop();
    }
    const all = result.takeovers.flatMap((r) => r.pressToConsoleMs);
    result.takeover = {
      movedMs: spread(result.takeovers.map((r) => r.movedMs)),
      presses: result.takeovers.reduce((a, r) => a + r.presses, 0),
      seen: all.length,
      pressP50Ms: quantile(all, 0.5),
      pressP99Ms: quantile(all, 0.99),
      pressMaxMs: all.length ? Math.max(...all) : null,
    };
  } catch (err) {
    errors.push((err as Error).stack ?? String(err));
  } finally {
    await cluster?.stop();
    await pg?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

if (require.main === module) {
  const run = startLoneRun();
  const arg = run.arg;
  raiseFileLimit(200_000);
  const d = DEFAULT_CLUSTER_BENCH;
  clusterBench({
    ...d,
    beds: arg('--beds', d.beds),
    kills: arg('--kills', d.kills),
    runs: arg('--runs', d.runs),
    windowS: arg('--window-s', d.windowS),
    sos: arg('--sos', d.sos),
    warmupS: arg('--warmup-s', d.warmupS),
  })
    .then((result) => {
      const { origin } = saveLoneRun('cluster', 'cluster.bench.js', run, result);
      if (process.argv.includes('--docs')) console.log(`wrote ${writeClusterSection(result, origin)}`);
      process.exit(result.errors.length ? 1 : 0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
