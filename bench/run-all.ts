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
 *   --no-corpus / --corpus          skip / force the realistic-nights corpus (on by default, off with --quick)
 *   --no-fairness / --fairness      skip / force the device fairness case (bench/device-fairness.bench.ts; off with --quick)
 *   --cluster [BENCH_CLUSTER=1]     opt-in (~5 min): 3 hubs behind HAProxy + NATS against one hub on the same
 *                                   PostgreSQL, then kill -9 takeovers (bench/cluster.bench.ts; tiny with --quick)
 *   --cluster-beds n --cluster-kills n [BENCH_CLUSTER_BEDS, _KILLS]
 *   --corpus-beds n --corpus-hours h --corpus-speed x [BENCH_CORPUS_BEDS, _HOURS, _SPEED]
 *   --corpus-previous rev|none [BENCH_CORPUS_PREVIOUS]  the previous release to compare with (default 25e4bf4)
 *   --render results.json [--supplement more.json]  only regenerate docs/benchmarks.md from results
 *
 * Every target gets the same load: `devices-sim load` in its own process, one MQTT connection
 * per device, open loop. Results: bench/results/<timestamp>.json and docs/benchmarks.md.
 */

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterBench } from './cluster.bench';
import { corpusBench } from './corpus.bench';
import { deviceFairnessBench, DEFAULT_DEVICE_FAIRNESS } from './device-fairness.bench';
import { influxWriteBench, type InfluxWriteResult } from './influx-write.bench';
import { log } from './lib/log';
import { machineInfo } from './lib/machine';
import { benchCommand, benchOptions } from './lib/options';
import { raiseFileLimit } from './lib/proc';
import { computeRatios, renderFromResults, writeResults } from './lib/report-files';
import { TARGET_LABELS, type BenchOptions, type BenchResults, type TargetResult } from './lib/results';
import { HUB_NODE_FLAGS, ROOT } from './lib/servers';
import { round, spread } from './lib/stats';
import { GENERATOR_NICE, profileHub, runStep, spoolTest } from './lib/steps';
import { startTarget, type LiveTarget } from './lib/targets';

export { parseOptions } from './lib/options';
export type * from './lib/results';

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
            results.spool = await spoolTest(t, beds);
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
    if (o.cluster) results.cluster = await clusterBench(o.cluster, log, o);
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
  const { jsonPath, mdPath } = writeResults(results, o);
  log(`done in ${results.elapsedS} s: ${jsonPath}${mdPath ? ` and ${mdPath}` : ''}`);
  return { results, jsonPath, mdPath };
}

if (require.main === module) {
  const cmd = benchCommand().parse();
  const opts = cmd.opts<{ render?: string; supplement?: string }>();
  const abs = (f: string) => (f.startsWith('/') ? f : join(process.cwd(), f));
  if (opts.render) {
    log(`wrote ${renderFromResults(abs(opts.render), opts.supplement ? abs(opts.supplement) : undefined)}`);
  } else {
    runBench(benchOptions(cmd.opts()))
      .then(() => process.exit(0))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  }
}
