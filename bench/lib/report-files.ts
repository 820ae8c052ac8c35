import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { summariseProfile } from './profile';
import type { ClusterBenchResult } from '../cluster.bench';
import type { DeviceFairnessResult } from '../device-fairness.bench';
import {
  CLUSTER_HEADING,
  DEVICE_FAIRNESS_HEADING,
  renderCluster,
  renderDeviceFairness,
  renderMarkdown,
  spliceSection,
} from './report';
import { ROOT } from './servers';
import { round } from './stats';
import type {
  BenchOptions,
  BenchResults,
  CpuRatioRow,
  Sustained,
  TargetName,
  TargetRatios,
  TargetResult,
} from './results';

/** Hub over relay ratios of CPU per message and sustained throughput, per hub target and QoS. */
export function computeRatios(targets: TargetResult[]): Record<string, TargetRatios> {
  const by = (n: TargetName) => targets.find((t) => t.name === n);
  const out: Record<string, TargetRatios> = {};
  const sustained = (t: TargetResult | undefined, qos: 0 | 1) => {
    let best: Sustained | null = null;
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
      const rows: CpuRatioRow[] = [];
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

/** Writes the results JSON to the results folder and, unless --no-docs, docs/benchmarks.md from it. */
export function writeResults(results: BenchResults, o: BenchOptions): { jsonPath: string; mdPath: string | null } {
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
  return { jsonPath, mdPath };
}

/**
 * Replaces the device fairness section of docs/benchmarks.md with a lone run's figures (before
 * "Realistic nights" when the page has none yet); the rest of the page keeps its full run.
 */
export function writeDeviceFairnessSection(result: DeviceFairnessResult, origin: string, mdPath?: string): string {
  const path = mdPath ?? join(ROOT, 'docs/benchmarks.md');
  const md = readFileSync(path, 'utf8');
  const section = renderDeviceFairness(result, origin).join('\n') + '\n';
  writeFileSync(path, spliceSection(md, DEVICE_FAIRNESS_HEADING, section, '## Realistic nights'));
  return path;
}

/**
 * Replaces the cluster section of docs/benchmarks.md with a lone run's figures (before the
 * device fairness section when the page has none yet); the rest of the page keeps its full run.
 */
export function writeClusterSection(result: ClusterBenchResult, origin: string, mdPath?: string): string {
  const path = mdPath ?? join(ROOT, 'docs/benchmarks.md');
  const md = readFileSync(path, 'utf8');
  const section = renderCluster(result, origin).join('\n') + '\n';
  writeFileSync(path, spliceSection(md, CLUSTER_HEADING, section, DEVICE_FAIRNESS_HEADING));
  return path;
}
