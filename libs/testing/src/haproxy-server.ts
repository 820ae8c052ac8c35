import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StarterOptions } from './postgres-server';
import { waitFor } from './wait-for';

export interface HaproxyServer {
  configFile: string;
  logs(): string;
  stop(): Promise<void>;
}

const BIN = '/usr/sbin/haproxy';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/**
 * Runs HAProxy in the foreground (-db) on a configuration the test wrote, typically from
 * renderHaproxyConfig with free loopback ports, after checking it with `haproxy -c`; ready when
 * every port in `listens` accepts connections.
 */
export async function startHaproxy(
  config: string,
  listens: number[],
  options: StarterOptions = {},
): Promise<HaproxyServer> {
  if (!existsSync(BIN)) throw new Error('haproxy is not installed (apt-get install haproxy)');
  const dir = mkdtempSync(join(tmpdir(), 'bedside-haproxy-'));
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, config);
  try {
    execFileSync(BIN, ['-c', '-q', '-f', configFile], { stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`haproxy refused the configuration:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`, {
      cause: err,
    });
  }
  let output = '';
  const proc: ChildProcess = spawn(BIN, ['-db', '-f', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
      return (await Promise.all(listens.map(accepts))).every(Boolean);
    },
    { timeoutMs: 10_000, what: 'haproxy to listen' },
  );
  return {
    configFile,
    logs: () => output,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
