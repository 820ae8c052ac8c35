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
  /** Member of a NATS cluster: its own route port and the other members' route URLs. */
  cluster?: { port: number; routes: string[] };
}

/** Starts a throwaway core NATS server (no JetStream) on a random loopback port. */
export async function startNats(options: NatsStarterOptions = {}): Promise<NatsServer> {
  if (!existsSync(BIN)) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const port = options.port ?? (await freePort());
  let output = '';
  const args = ['-a', '127.0.0.1', '-p', String(port), '--no_advertise'];
  if (options.cluster)
    args.push(
      '--cluster_name',
      'bedside',
      '--cluster',
      `nats://127.0.0.1:${options.cluster.port}`,
      '--routes',
      options.cluster.routes.join(','),
    );
  const proc: ChildProcess = spawn(BIN, args, {
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

export interface NatsCluster {
  servers: NatsServer[];
  /** Every member's client URL, comma-separated, as NATS_URL takes them. */
  url: string;
  /** Starts member `i` again on its ports after it was stopped. */
  restart(i: number): Promise<NatsServer>;
  stop(): Promise<void>;
}

/**
 * `size` nats-servers clustered with each other (full mesh of routes) on loopback: a client
 * that loses its server reconnects to another and keeps its subscriptions' reach.
 */
export async function startNatsCluster(size: number, options: StarterOptions = {}): Promise<NatsCluster> {
  const ports: { client: number; route: number }[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), route: await freePort() });
  const member = (i: number) =>
    startNats({
      ...options,
      port: ports[i].client,
      cluster: {
        port: ports[i].route,
        routes: ports.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p.route}`),
      },
    });
  const servers = await Promise.all(ports.map((_, i) => member(i)));
  // Routes form within a second or so; a message published before that may not cross them.
  await waitFor(() => servers.every((s) => (s.logs().match(/Route connection created/g) ?? []).length >= size - 1), {
    what: 'the NATS routes',
    timeoutMs: 10_000,
  });
  return {
    servers,
    url: servers.map((s) => s.url).join(','),
    async restart(i) {
      servers[i] = await member(i);
      return servers[i];
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}
