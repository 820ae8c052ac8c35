/**
 * How hub CPU per message depends on the rate at which messages arrive: hubs on PostgreSQL
 * under one continuous QoS 1 load per case, their CPU read from /proc every slice (no windows,
 * drains or pauses inside a measurement, so slices of one run agree far better than the main
 * bench's windows). A case is `<beds>[@<nodes>][x<msg/s per bed>][:<on s>/<off s>]`: one hub,
 * or a cluster of `nodes` hubs behind HAProxy with one nats-server (their CPU summed); steady,
 * or bursts of `on` seconds followed by `off` seconds of silence. The first slice (connect
 * storm, warm-up) is left out of the figures.
 *
 *   node dist/bench/arrival-rate.bench.js [--cases 2000,667,667x3:1/2,667:1/1] [--slices 6]
 *     [--slice-s 10] [--pin] [--out file.json]
 *
 * --pin puts every hub thread on the last CPU and PostgreSQL, the load and this process on the
 * others (taskset), so that the hub's figures do not move with where the scheduler put it; it
 * is for one-hub cases only.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../libs/testing/src/postgres-server';
import { HubRestClient } from '../devices-sim/src/hub/hub-rest.client';
import { provisionLean } from '../devices-sim/src/load/lean-provisioner';
import { parseCase, type Case } from './lib/arrival-case';
import { argNumber, argText } from './lib/argv';
import { startBenchCluster } from './lib/bench-cluster';
import { affinityOf, setAffinity } from './lib/cpu-pinning';
import { runLoad } from './lib/load';
import { log, sleep } from './lib/log';
import { cpuSeconds, raiseFileLimit, threadCpuSeconds } from './lib/proc';
import { scrape, spawnHub, type HubServer } from './lib/servers';
import { spread, type Spread } from './lib/stats';
import { childTrees } from './lib/targets';

interface Slice {
  msgPerS: number;
  usPerMsg: number;
  mainUsPerMsg: number;
  othersUsPerMsg: number;
}

interface CaseResult {
  case: Case;
  /** Messages a second averaged over a cycle, and while sending. */
  averageMsgPerS: number;
  sendingMsgPerS: number;
  slices: Slice[];
  usPerMsg: Spread | null;
  mainUsPerMsg: Spread | null;
  othersUsPerMsg: Spread | null;
}

async function runCase(
  c: Case,
  o: { slices: number; sliceS: number; pin: readonly number[] | null },
): Promise<CaseResult> {
  const pg = await startPostgres();
  let target: Hubs | null = null;
  try {
    target = await startHubs(pg, c);
    const h = target;
    if (o.pin) {
      setAffinity(h.pids[0], o.pin.slice(-1));
      for (const pid of [process.pid, ...childTrees(['postgres'])]) setAffinity(pid, o.pin.slice(0, -1));
    }
    const api = new HubRestClient(h.httpUrl, h.admin, 60_000);
    const { beds } = await provisionLean(api, c.beds, {
      prefix: 'ar',
      firstIndex: 0,
      concurrency: 16,
      kindsFor: () => ['mattress'],
    });
    const creds = join(mkdtempSync(join(tmpdir(), 'bedside-arrival-')), 'beds.json');
    writeFileSync(creds, JSON.stringify({ version: 1, createdAt: new Date().toISOString(), beds }));
    // Longer than the slices: the load is stopped once they are read.
    const totalS = (o.slices + 1) * o.sliceS + 30;
    const cycle = c.burst
      ? ['--duration', String(c.burst.onS), '--pause', String(c.burst.offS), '--drain', '0']
      : ['--duration', String(totalS)];
    const cycles = c.burst ? Math.ceil(totalS / (c.burst.onS + c.burst.offS)) : 1;
    const slices: Slice[] = [];
    let measuring = Promise.resolve();
    let started = false;
    let loadPid = 0;
    const load = runLoad(
      [
        ...['--mqtt', h.mqttUrl, '--credentials', creds, '--beds', String(c.beds), '--kinds', 'mattress'],
        ...['--rate', String(c.ratePerBed), '--qos', '1', '--runs', String(Math.min(100, cycles))],
        ...['--connect-rate', '2000', ...cycle],
      ],
      {
        timeoutMs: (totalS + 120) * 1000 + c.beds * 40,
        onRecord: (r, pid) => {
          loadPid = pid;
          if (r.type !== 'window-start' || started) return;
          started = true;
          measuring = (async () => {
            let t = Date.now();
            let cpu = h.cpu();
            let threads = h.threads();
            let msgs = await h.stored();
            for (let i = 0; i <= o.slices; i++) {
              await sleep(o.sliceS * 1000);
              const [t2, cpu2, threads2, msgs2] = [Date.now(), h.cpu(), h.threads(), await h.stored()];
              const n = msgs2 - msgs;
              if (i > 0 && n > 0)
                slices.push({
                  msgPerS: n / ((t2 - t) / 1000),
                  usPerMsg: ((cpu2 - cpu) / n) * 1e6,
                  mainUsPerMsg: ((threads2.main - threads.main) / n) * 1e6,
                  othersUsPerMsg: ((threads2.others - threads.others) / n) * 1e6,
                });
              [t, cpu, threads, msgs] = [t2, cpu2, threads2, msgs2];
            }
            try {
              process.kill(loadPid, 'SIGTERM');
            } catch {
              // the load had already finished
            }
          })();
        },
      },
    );
    const res = await load;
    await measuring;
    if (slices.length === 0)
      throw new Error(`case ${c.label}: nothing measured (load exited ${res.code}): ${res.stderr.slice(-500)}`);
    const sendingMsgPerS = c.beds * c.ratePerBed;
    return {
      case: c,
      averageMsgPerS: c.burst ? (sendingMsgPerS * c.burst.onS) / (c.burst.onS + c.burst.offS) : sendingMsgPerS,
      sendingMsgPerS,
      slices,
      usPerMsg: spread(slices.map((s) => s.usPerMsg)),
      mainUsPerMsg: spread(slices.map((s) => s.mainUsPerMsg)),
      othersUsPerMsg: spread(slices.map((s) => s.othersUsPerMsg)),
    };
  } finally {
    await target?.stop();
    await pg.stop();
  }
}

/** What a case's load is sent to: one hub, or a cluster through HAProxy. */
interface Hubs {
  mqttUrl: string;
  httpUrl: string;
  admin: HubServer['admin'];
  pids: number[];
  /** CPU seconds of every hub, summed; and split into main threads and the others. */
  cpu(): number;
  threads(): { main: number; others: number };
  /** Telemetry messages stored, every hub summed. */
  stored(): Promise<number>;
  stop(): Promise<void>;
}

async function startHubs(pg: PostgresServer, c: Case): Promise<Hubs> {
  const sum = (pids: number[]) => ({
    cpu: () => pids.reduce((a, pid) => a + cpuSeconds(pid), 0),
    threads: () =>
      pids.map(threadCpuSeconds).reduce((a, t) => ({ main: a.main + t.main, others: a.others + t.others }), {
        main: 0,
        others: 0,
      }),
  });
  const metric = 'bedside_mqtt_messages_stored_total';
  if (c.nodes === 1) {
    const hub = await spawnHub({ env: { DATABASE_URL: await pg.createDatabase('arrival') } });
    return {
      mqttUrl: hub.mqttUrl,
      httpUrl: hub.httpUrl,
      admin: hub.admin,
      pids: [hub.pid],
      ...sum([hub.pid]),
      stored: async () => (await scrape(hub.httpUrl))(metric, { channel: 'telemetry' }) ?? 0,
      stop: () => hub.stop(),
    };
  }
  const cluster = await startBenchCluster(pg, { nodes: c.nodes, beds: c.beds, database: 'arrival' });
  const pids = cluster.hubs.map((hub) => hub.pid);
  return {
    mqttUrl: cluster.mqttUrl,
    httpUrl: cluster.httpUrl,
    admin: cluster.hubs[0].admin,
    pids,
    ...sum(pids),
    stored: () => cluster.sumMetric(metric, { channel: 'telemetry' }),
    stop: () => cluster.stop(),
  };
}

async function main(): Promise<void> {
  raiseFileLimit(20_000);
  const cases = argText('--cases', '2000,667,667x3:1/2,667:1/1').split(',').map(parseCase);
  // The CPUs this process may use, read once: pinning moves this process onto the load's share.
  const cpus = affinityOf(process.pid) ?? [];
  if (process.argv.includes('--pin') && cpus.length < 2) throw new Error('--pin needs at least two CPUs');
  if (process.argv.includes('--pin') && cases.some((c) => c.nodes > 1))
    throw new Error('--pin is for one-hub cases: a cluster case would put every hub on one CPU');
  const o = {
    slices: argNumber('--slices', 6),
    sliceS: argNumber('--slice-s', 10),
    pin: process.argv.includes('--pin') ? cpus : null,
  };
  const results: CaseResult[] = [];
  for (const c of cases) {
    log(
      `case ${c.label}: ${c.beds} beds at ${c.ratePerBed} msg/s${c.burst ? `, ${c.burst.onS} s on, ${c.burst.offS} s off` : ''}`,
    );
    const r = await runCase(c, o);
    results.push(r);
    log(`  ${r.slices.map((s) => s.usPerMsg.toFixed(0)).join(' ')} µs per message`);
  }
  const fmt = (s: Spread | null) => (s ? `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : 'n/a');
  console.log('| case | msg/s average | msg/s while sending | hub µs per message | main thread | other threads |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.case.label} | ${r.averageMsgPerS.toFixed(0)} | ${r.sendingMsgPerS.toFixed(0)} | ${fmt(r.usPerMsg)} | ${fmt(r.mainUsPerMsg)} | ${fmt(r.othersUsPerMsg)} |`,
    );
  const out = argText('--out', '');
  if (out) writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), options: o, results }, null, 2));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
