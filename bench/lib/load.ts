import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT } from './servers';

export interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** The load's SOS probe in one window: presses timed to alarm.raised, or why it could not run. */
export type SosRecord = { unavailable: string } | { presses: number; matched: number; latencyMs: Percentiles };

/** A window's figures (`window`), or the run's when it had one window (`summary`). */
export interface WindowRecord {
  type: 'window' | 'summary';
  qos: 0 | 1;
  sent: number;
  acked: number | null;
  lossRatio: number;
  sendWindowMs: number;
  latencyMs: Percentiles | null;
  latenessMs: Percentiles;
  sos: SosRecord | null;
  [field: string]: unknown;
}

/** One JSON line of `devices-sim load --json` (devices-sim/src/commands/load.command.ts), as the bench reads it. */
export type LoadRecord =
  | { type: 'connected'; devices: number; connectMs: number; connectFailures: number; [field: string]: unknown }
  | { type: 'warmed-up'; sent: number; acked: number }
  | { type: 'window-start'; index: number; qos: 0 | 1; at: number }
  | WindowRecord;

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
      stderr += String(d);
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
