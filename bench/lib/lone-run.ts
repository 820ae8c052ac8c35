import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { argNumber } from './argv';
import { ROOT } from './servers';

/** A benchmark case run on its own (`node dist/bench/<case>.bench.js …`): when, how loaded, its numeric flags. */
export interface LoneRun {
  startedAt: Date;
  loadAtStart: number[];
  /** The number after `name` on the command line, or `dflt`. */
  arg: (name: string, dflt: number) => number;
}

export function startLoneRun(): LoneRun {
  return {
    startedAt: new Date(),
    loadAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    arg: argNumber,
  };
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT }).toString().trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * Writes a lone run's raw result to bench/results/<time>-<kind>.json and returns the file and
 * the origin line its docs section is rendered with.
 */
export function saveLoneRun(
  kind: string,
  script: string,
  run: LoneRun,
  result: unknown,
): { file: string; origin: string } {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const started = run.startedAt.toISOString();
  const file = join(dir, `${started.replace(/[:.]/g, '-')}-${kind}.json`);
  const git = gitCommit();
  writeFileSync(
    file,
    JSON.stringify({ startedAt: started, git, loadAtStart: run.loadAtStart, result }, null, 2) + '\n',
  );
  const raw = file.replace(ROOT + '/', '');
  console.log(`raw: ${raw}`);
  const origin = `Figures of a lone run (\`node dist/bench/${script} ${process.argv.slice(2).join(' ')}\`) on ${started.slice(0, 16).replace('T', ' ')} UTC at git ${git}, load average at start ${run.loadAtStart.join(', ')} (shared machine); raw: \`${raw}\`.`;
  return { file, origin };
}
