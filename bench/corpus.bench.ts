/**
 * Realistic nights (devices-sim corpus) against the hub of this checkout and of an older git
 * revision (the previous release), one after the other, same corpus and seed, each hub under
 * libfaketime at the same speed. Part of `npm run bench`; alone:
 *
 *   node dist/bench/corpus.bench.js [--beds 20] [--hours 10] [--speed 60] [--seed 1] [--previous 25e4bf4|none]
 *
 * Alone it prints both runs side by side and writes bench/results/<timestamp>-corpus.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { compressedClockEnv } from '../libs/testing/src/compressed-clock';
import { spawnHub } from '../libs/testing/src/hub-launcher';
import { DEFAULT_TARGETS, type CorpusFigures } from '../devices-sim/src/corpus/alarm-classifier';
import { runCorpus, type CorpusRunResult } from '../devices-sim/src/corpus-runner/corpus-runner';
import { buildRevision } from './lib/revision-build';
import { ROOT } from './lib/servers';

export interface CorpusBenchOptions {
  beds: number;
  hours: number;
  speed: number;
  seed: number;
  /** Git revision of the previous release; null: the current hub only. */
  previous: string | null;
}

export const DEFAULT_CORPUS_BENCH: CorpusBenchOptions = {
  beds: 20,
  hours: 10,
  speed: 60,
  seed: 1,
  previous: '25e4bf4',
};

export interface CorpusBenchRun {
  label: string;
  commit: string;
  realS: number;
  figures: CorpusFigures | null;
  distorted: string | null;
  stream: CorpusRunResult['stream'] | null;
  clock: CorpusRunResult['clock'] | null;
  error?: string;
}

export interface CorpusBenchResult {
  options: CorpusBenchOptions;
  runs: CorpusBenchRun[];
}

/** The hub's clock starts at 20:30 in Asia/Shanghai; the runner waits for 21:00 on it. */
const HUB_CLOCK_START = new Date('2026-01-10T12:30:00Z');

async function runAgainst(
  root: string,
  label: string,
  commit: string,
  o: CorpusBenchOptions,
  log: (s: string) => void,
): Promise<CorpusBenchRun> {
  const t0 = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'bedside-corpus-hub-'));
  const hub = await spawnHub({
    main: join(root, 'dist/apps/hub/src/main.js'),
    dataDir,
    adminPassword: 'bench-admin-password',
    logLevel: 'warn',
    env: compressedClockEnv({ start: HUB_CLOCK_START, speed: o.speed }),
    keepOutputChars: 8_000,
    readyTimeoutMs: 120_000,
  });
  try {
    await hub.ready();
    log(`corpus: ${label} (${commit.slice(0, 9)}): ${o.beds} beds x ${o.hours} h at x${o.speed}`);
    const r = await runCorpus(
      {
        hub: hub.httpUrl,
        mqtt: hub.mqttUrl,
        admin: hub.admin,
        seed: o.seed,
        beds: o.beds,
        hours: o.hours,
        speed: o.speed,
        eventShare: 1 / 3,
        startHour: 21,
        utcOffsetMinutes: 480,
        timeZone: 'Asia/Shanghai',
        targets: DEFAULT_TARGETS,
        maxLagMs: 10_000,
      },
      { phase: (t) => log(`corpus: ${label}: ${t}`) },
    );
    return {
      label,
      commit,
      realS: Math.round((Date.now() - t0) / 1000),
      figures: r.figures,
      distorted: r.distorted,
      stream: r.stream,
      clock: r.clock,
    };
  } catch (err) {
    return {
      label,
      commit,
      realS: Math.round((Date.now() - t0) / 1000),
      figures: null,
      distorted: null,
      stream: null,
      clock: null,
      error: (err as Error).message,
    };
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function gitHead(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The current hub first, then the previous release (built on demand); one at a time so they do not share the CPU. */
export async function corpusBench(o: CorpusBenchOptions, log: (s: string) => void): Promise<CorpusBenchResult> {
  const runs: CorpusBenchRun[] = [await runAgainst(ROOT, 'this checkout', gitHead(), o, log)];
  if (o.previous) {
    try {
      const build = buildRevision(o.previous, log);
      runs.push(await runAgainst(build.root, `previous release ${o.previous}`, build.commit, o, log));
    } catch (err) {
      runs.push({
        label: `previous release ${o.previous}`,
        commit: o.previous,
        realS: 0,
        figures: null,
        distorted: null,
        stream: null,
        clock: null,
        error: (err as Error).message,
      });
    }
  }
  return { options: o, runs };
}

const n3 = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : v.toFixed(3));
const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`;

/** Markdown tables: false alarms per bed-night by kind and sensitivity by event type, one column per hub. */
export function renderCorpus(c: CorpusBenchResult): string[] {
  const L: string[] = [];
  const o = c.options;
  const cols = c.runs.map((r) => `${r.label} \`${r.commit.slice(0, 9)}\``);
  L.push(
    `${o.beds} beds x ${o.hours} h (${(o.beds * o.hours) / 10} bed-nights), seed ${o.seed}, one bed in three with a true event; each hub under libfaketime at x${o.speed}. Targets: <= ${DEFAULT_TARGETS.maxFalseAlarmsPerBedNight} false alarms per bed-night, 100 % of true events within their clinical window.`,
    '',
  );
  for (const r of c.runs) {
    if (r.error) L.push(`- ${r.label}: **failed**: ${r.error.split('\n')[0]}`);
    else
      L.push(
        `- ${r.label}: ${r.realS} s real; generator lateness p99 ${((r.stream?.latenessP99Ms ?? 0) / 1000).toFixed(1)} s, PUBACK p99 ${((r.stream?.pubackP99Ms ?? 0) / 1000).toFixed(1)} s (hub time); clock drift ${r.clock?.driftMs} ms${r.distorted ? `; **distorted**: ${r.distorted}` : ''}`,
      );
  }
  L.push('');
  const kinds = [...new Set(c.runs.flatMap((r) => Object.keys(r.figures?.falseAlarms.byKind ?? {})))].sort();
  L.push(`| false alarms per bed-night | ${cols.join(' | ')} |`, `| --- |${cols.map(() => ' ---: |').join('')}`);
  L.push(
    `| **all kinds** | ${c.runs.map((r) => (r.figures ? `**${n3(r.figures.falseAlarms.perBedNight)}** (${r.figures.falseAlarms.total})` : '–')).join(' | ')} |`,
  );
  for (const k of kinds)
    L.push(
      `| ${k} | ${c.runs
        .map((r) => {
          const x = r.figures?.falseAlarms.byKind[k];
          return x ? `${n3(x.perBedNight)} (${x.count})` : r.figures ? '0' : '–';
        })
        .join(' | ')} |`,
    );
  L.push('');
  const types = [...new Set(c.runs.flatMap((r) => Object.keys(r.figures?.sensitivity ?? {})))];
  L.push(
    `| sensitivity in window (detected / events; median delay from onset) | ${cols.join(' | ')} |`,
    `| --- |${cols.map(() => ' ---: |').join('')}`,
  );
  for (const t of types) {
    L.push(
      `| ${t} | ${c.runs
        .map((r) => {
          const s = r.figures?.sensitivity[t as keyof CorpusFigures['sensitivity']];
          return s
            ? `${pct(s.sensitivity)} (${s.inWindow}/${s.events}${s.late ? `, ${s.late} late` : ''}${s.delayMs ? `; ${(s.delayMs.median / 1000).toFixed(0)} s` : ''})`
            : '–';
        })
        .join(' | ')} |`,
    );
  }
  const causes = c.runs[0]?.figures?.falseAlarms.byCause ?? {};
  if (Object.keys(causes).length) {
    L.push(
      '',
      `False alarms of ${c.runs[0].label} by what the night was doing just before: ${Object.entries(causes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}.`,
    );
  }
  return L;
}

if (require.main === module) {
  const d = DEFAULT_CORPUS_BENCH;
  const args = new Command('corpus.bench')
    .description('Realistic nights against this checkout and the previous release')
    .option('--beds <n>', 'beds', String(d.beds))
    .option('--hours <h>', 'hours of night', String(d.hours))
    .option('--speed <x>', 'hub clock speed (libfaketime)', String(d.speed))
    .option('--seed <n>', 'corpus seed', String(d.seed))
    .option('--previous <rev>', 'previous release to compare with, or none', d.previous ?? 'none')
    .allowExcessArguments(false)
    .parse()
    .opts<Record<'beds' | 'hours' | 'speed' | 'seed' | 'previous', string>>();
  const o: CorpusBenchOptions = {
    beds: Number(args.beds),
    hours: Number(args.hours),
    speed: Number(args.speed),
    seed: Number(args.seed),
    previous: args.previous === 'none' ? null : args.previous,
  };
  const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
  corpusBench(o, log)
    .then((res) => {
      const dir = join(ROOT, 'bench/results');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-corpus.json`);
      writeFileSync(file, JSON.stringify(res, null, 2) + '\n');
      process.stdout.write(renderCorpus(res).join('\n') + `\n\nraw: ${file.replace(ROOT + '/', '')}\n`);
      process.exit(res.runs.every((r) => !r.error) ? 0 : 1);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
