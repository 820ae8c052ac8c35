import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT } from './servers';

export type LoadRecord = Record<string, any> & { type: string };

/**
 * Runs `devices-sim load --json` as its own process (the same generator for every target) and
 * hands each JSON record to `onRecord` as it arrives, so the caller can sample the server at
 * window boundaries. Resolves with every record, the exit code and the generator's pid.
 */
export function runLoad(
  args: string[],
  o: {
    onRecord?: (r: LoadRecord, pid: number) => Promise<void> | void;
    timeoutMs: number;
    env?: Record<string, string>;
  },
): Promise<{ records: LoadRecord[]; code: number | null; stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'devices-sim/bin/devices-sim.js'), 'load', '--json', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const records: LoadRecord[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    let chain = Promise.resolve();
    createInterface({ input: child.stdout }).on('line', (line) => {
      let rec: LoadRecord;
      try {
        rec = JSON.parse(line) as LoadRecord;
      } catch {
        return;
      }
      records.push(rec);
      chain = chain
        .then(() => o.onRecord?.(rec, child.pid!))
        .catch((err) => void (stderr += `\nharness: ${(err as Error).message}`));
    });
    const timer = setTimeout(() => {
      stderr += `\nharness: load generator killed after ${o.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      void chain.then(() => resolve({ records, code, stderr, pid: child.pid! }));
    });
  });
}
