import type { ClusterBenchOptions, ClusterBenchResult } from '../cluster.bench';
import type { CorpusBenchOptions, CorpusBenchResult } from '../corpus.bench';
import type { DeviceFairnessResult } from '../device-fairness.bench';
import type { InfluxWriteResult } from '../influx-write.bench';
import type { WindowRecord } from './load';
import type { machineInfo } from './machine';
import type { ProfileSummary } from './profile';
import type { Spread } from './stats';

/** What a bench run measures and writes to bench/results/<timestamp>.json (docs/benchmarks.md is rendered from it). */

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
  /**
   * Memory per connection after the warm-up (a forced full GC before the first window); false
   * skips it: the GC deoptimises code whose embedded object shapes died, and the windows right
   * after it pay for recompiling (see the cluster bench).
   */
  measureMemory?: boolean;
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
  /** N hubs behind HAProxy against one hub, and takeovers after kill -9; null: skipped (opt-in). */
  cluster?: ClusterBenchOptions | null;
  /** Break thresholds. */
  maxLoss: number;
  maxP99Ms: number;
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
  /** stime ÷ (utime + stime) of the server process(es) over the window (older results: absent). */
  serverSystemShare?: number | null;
  /** The hub processes' garbage collection (V8's own pause accounting) per message, µs (older results and non-hub targets: absent). */
  serverGcUsPerMsg?: number | null;
  /** Main-thread wake-ups (voluntary context switches) of the server process(es) per message (older results: absent). */
  serverWakeupsPerMsg?: number | null;
  backendCpuUsPerMsg: number | null;
  generatorCpuUsPerMsg: number;
  /** CPU of further processes (a cluster's nats-server, haproxy) per message delivered, by name. */
  sideCpuUsPerMsg?: Record<string, number>;
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
  serverSystemShare?: Spread | null;
  serverGcUsPerMsg?: Spread | null;
  serverWakeupsPerMsg?: Spread | null;
  backendCpuUsPerMsg: Spread | null;
  generatorCpuUsPerMsg: Spread | null;
  sideCpuUsPerMsg?: Record<string, Spread | null>;
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
  /** By `<hub target>.qos<0|1>`. */
  ratios: Record<string, TargetRatios>;
  influxWrite: { runs: InfluxWriteResult[]; pointsPerSecond: Spread | null } | null;
  spool: SpoolResult | { error: string } | null;
  profiles: { target: TargetName; beds: number; load: WindowRecord | null; summary: ProfileSummary }[];
  /** Realistic nights, this checkout and the previous release side by side. */
  corpus?: CorpusBenchResult | null;
  deviceFairness?: DeviceFairnessResult | null;
  cluster?: ClusterBenchResult | null;
  notes: string[];
}

/** CPU per message of a hub target against the relays at one step. */
export interface CpuRatioRow {
  beds: number;
  hubCpuUsPerMsg: number | null;
  aedesCpuUsPerMsg: number | null;
  mosquittoCpuUsPerMsg: number | null;
  hubOverAedes: number | null;
  hubOverMosquitto: number | null;
  hubBroken: string | null;
}

/** The largest step a target sustained unbroken, and its throughput there. */
export interface Sustained {
  beds: number;
  throughput: number;
}

export interface TargetRatios {
  cpuPerMessage: CpuRatioRow[];
  sustained: { hub: Sustained | null; aedes: Sustained | null; mosquitto: Sustained | null };
  throughputHubOverMosquitto: number | null;
  throughputHubOverAedes: number | null;
  /** Mosquitto sustained the top step: the hub's ratio to it is an upper bound. */
  mosquittoAtLadderTop: boolean | null;
}
