import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './free-port';
import type { StarterOptions } from './postgres-server';
import { waitFor } from './wait-for';

export interface NatsServer {
  url: string;
  port: number;
  /** The server process, e.g. to read its CPU time. */
  pid: number | undefined;
  logs(): string;
  stop(): Promise<void>;
}

const BIN = '/usr/sbin/nats-server';

/** Reads the INFO line a NATS server sends first on every connection (NATS client protocol). */
function natsInfo(port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.setTimeout(1000, () => s.destroy(new Error('no INFO from nats-server')));
    s.on('error', reject);
    s.on('data', (d: Buffer) => {
      got += d.toString();
      const end = got.indexOf('\r\n');
      if (end < 0) return;
      s.destroy();
      if (!got.startsWith('INFO ')) return reject(new Error(`unexpected greeting ${got.slice(0, 40)}`));
      resolve(JSON.parse(got.slice(5, end)) as Record<string, unknown>);
    });
  });
}

export interface NatsStarterOptions extends StarterOptions {
  /** A given port, e.g. to restart a stopped server where its clients reconnect; default a free one. */
  port?: number;
}

/** Starts a throwaway core NATS server (no JetStream) on a random loopback port. */
export async function startNats(options: NatsStarterOptions = {}): Promise<NatsServer> {
  if (!existsSync(BIN)) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const port = options.port ?? (await freePort());
  let output = '';
  const proc: ChildProcess = spawn(BIN, ['-a', '127.0.0.1', '-p', String(port), '--no_advertise'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`nats-server exited: ${output}`);
      const info = await natsInfo(port);
      return info.port === port;
    },
    { timeoutMs: 10_000, what: 'nats-server to accept connections' },
  );
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: proc.pid,
    logs: () => output,
    stop: () =>
      new Promise<void>((r) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return r();
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}
