import { join } from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_CLUSTER_BENCH } from '../cluster.bench';
import { DEFAULT_CORPUS_BENCH } from '../corpus.bench';
import { TARGETS, type BenchOptions, type TargetName } from './results';
import { ROOT } from './servers';

/** run-all's command line (commander); each value option falls back to its environment variable. */
export function benchCommand(env: NodeJS.ProcessEnv = process.env): Command {
  const withEnv = (flags: string, description: string, name: string) => {
    const o = new Option(flags, `${description} [${name}]`);
    return env[name] ? o.default(env[name]) : o;
  };
  return new Command('run-all')
    .description('Bedside benchmark suite: the same open-loop load against each target, then reports')
    .option('--quick', 'CI smoke: tiny fleet, embedded hub + bare aedes, no profile/spool/influx/corpus by default')
    .option('--no-docs', 'do not regenerate docs/benchmarks.md [BENCH_NO_DOCS=1]')
    .addOption(withEnv('--targets <list>', `comma-separated, of ${TARGETS.join(', ')}`, 'BENCH_TARGETS'))
    .addOption(withEnv('--steps <list>', 'beds per step, comma-separated', 'BENCH_STEPS'))
    .addOption(withEnv('--runs <n>', 'repeated windows per QoS and step', 'BENCH_RUNS'))
    .addOption(withEnv('--window <s>', 'seconds of sending per window', 'BENCH_WINDOW_S'))
    .addOption(withEnv('--sos <n>', 'SOS presses per window (hub targets)', 'BENCH_SOS'))
    .addOption(withEnv('--budget-min <m>', 'stop stepping when the run has used this long', 'BENCH_BUDGET_MIN'))
    .option('--profile', 'profile the hub')
    .option('--no-profile')
    .option('--spool', 'InfluxDB outage and spool replay test')
    .option('--no-spool')
    .option('--influx', 'InfluxDB write throughput')
    .option('--no-influx')
    .option('--corpus', 'realistic nights against this checkout and the previous release')
    .option('--no-corpus')
    .option('--fairness', "other devices' ack and SOS latency while one device floods and one stops reading")
    .option('--no-fairness')
    .option(
      '--cluster',
      'opt-in: 3 hubs behind HAProxy with NATS against one hub at equal beds, then kill -9 takeovers',
    )
    .addOption(withEnv('--cluster-beds <n>', 'beds of the cluster case', 'BENCH_CLUSTER_BEDS'))
    .addOption(withEnv('--cluster-kills <n>', 'kill -9 rounds of the cluster case', 'BENCH_CLUSTER_KILLS'))
    .addOption(withEnv('--out <dir>', 'results folder (default bench/results)', 'BENCH_OUT'))
    .addOption(withEnv('--corpus-beds <n>', 'corpus beds', 'BENCH_CORPUS_BEDS'))
    .addOption(withEnv('--corpus-hours <h>', 'corpus hours', 'BENCH_CORPUS_HOURS'))
    .addOption(withEnv('--corpus-speed <x>', 'corpus clock speed', 'BENCH_CORPUS_SPEED'))
    .addOption(withEnv('--corpus-previous <rev>', 'previous release to compare with, or none', 'BENCH_CORPUS_PREVIOUS'))
    .option('--render <results.json>', 'only regenerate docs/benchmarks.md from a results file')
    .option('--supplement <more.json>', 'with --render: steps of a later run merged per target')
    .allowExcessArguments(false);
}

interface Parsed {
  quick?: boolean;
  docs: boolean;
  targets?: string;
  steps?: string;
  runs?: string;
  window?: string;
  sos?: string;
  budgetMin?: string;
  profile?: boolean;
  spool?: boolean;
  influx?: boolean;
  corpus?: boolean;
  fairness?: boolean;
  cluster?: boolean;
  clusterBeds?: string;
  clusterKills?: string;
  out?: string;
  corpusBeds?: string;
  corpusHours?: string;
  corpusSpeed?: string;
  corpusPrevious?: string;
}

const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** "Breaks": loss > 0.1 % of sent, or p99 publish->PUBACK > 1 s (QoS 1), or > 0.1 % failed connects, or the generator lags (p99 lateness > 1 s). */
export function benchOptions(p: Parsed, env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = p.quick === true || env.BENCH_QUICK === '1';
  const targets = (list(p.targets) ?? (quick ? ['hub-embedded', 'aedes'] : [...TARGETS])) as TargetName[];
  for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t} (${TARGETS.join(', ')})`);
  const flag = (v: boolean | undefined, dflt: boolean) => v ?? dflt;
  return {
    quick,
    docs: p.docs && env.BENCH_NO_DOCS !== '1',
    targets,
    steps: (list(p.steps) ?? (quick ? ['20'] : ['250', '500', '1000', '2500', '5000', '10000'])).map(Number),
    runs: Number(p.runs ?? 3),
    windowS: Number(p.window ?? (quick ? 1.5 : 5)),
    pauseS: quick ? 0.3 : 1,
    holdS: quick ? 2 : 4,
    warmupS: quick ? 1 : 3,
    drainS: quick ? 3 : 5,
    sos: Number(p.sos ?? (quick ? 2 : 10)),
    budgetMin: Number(p.budgetMin ?? (quick ? 2 : 35)),
    profile: flag(p.profile, !quick),
    spool: flag(p.spool, !quick),
    influx: flag(p.influx, !quick),
    outDir: p.out ?? join(ROOT, 'bench/results'),
    fairness: flag(p.fairness, !quick),
    cluster:
      p.cluster === true || env.BENCH_CLUSTER === '1'
        ? {
            ...DEFAULT_CLUSTER_BENCH,
            ...(quick ? { beds: 50, runs: 1, windowS: 1.5, sos: 2, kills: 1, warmupS: 1 } : {}),
            ...(p.clusterBeds ? { beds: Number(p.clusterBeds) } : {}),
            ...(p.clusterKills ? { kills: Number(p.clusterKills) } : {}),
          }
        : null,
    corpus: flag(p.corpus, !quick)
      ? {
          beds: Number(p.corpusBeds ?? DEFAULT_CORPUS_BENCH.beds),
          hours: Number(p.corpusHours ?? DEFAULT_CORPUS_BENCH.hours),
          speed: Number(p.corpusSpeed ?? DEFAULT_CORPUS_BENCH.speed),
          seed: DEFAULT_CORPUS_BENCH.seed,
          previous: ((v) => (v === 'none' ? null : v))(p.corpusPrevious ?? DEFAULT_CORPUS_BENCH.previous),
        }
      : null,
    maxLoss: 0.001,
    maxP99Ms: 1000,
  };
}

/** Bench options from command-line arguments (without node and the script) and the environment. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const cmd = benchCommand(env).exitOverride();
  cmd.parse(argv, { from: 'user' });
  return benchOptions(cmd.opts<Parsed>(), env);
}
