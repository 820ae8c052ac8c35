import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './servers';

export interface RevisionBuild {
  revision: string;
  commit: string;
  /** Folder holding the revision's sources, node_modules (hard links) and dist/. */
  root: string;
  reused: boolean;
}

/**
 * Builds the hub of another git revision (the previous release) in a temp folder: its tree
 * exported with `git archive` (no worktree registered in the shared repository), this checkout's
 * node_modules hard-linked in (cp -al: no install, no copy), then the TypeScript build only (the
 * hub runs without the web console). Kept per commit, so a second bench run reuses it.
 */
export function buildRevision(revision: string, log: (s: string) => void = () => undefined): RevisionBuild {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const root = join(tmpdir(), `bedside-rev-${commit.slice(0, 12)}`);
  const main = join(root, 'dist/apps/hub/src/main.js');
  if (existsSync(main)) return { revision, commit, root, reused: true };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  log(`building ${revision} (${commit.slice(0, 12)}) in ${root}`);
  execFileSync('sh', ['-c', `git archive --format=tar ${commit} | tar -x -C '${root}'`], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(root, 'node_modules')]);
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const alias = join(root, 'node_modules/tsc-alias/dist/bin/index.js');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  execFileSync(process.execPath, [alias, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!existsSync(main)) throw new Error(`building ${revision} produced no ${main}`);
  return { revision, commit, root, reused: false };
}
