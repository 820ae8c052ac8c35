import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface InfluxServer {
  /** Base URL of the v1 HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The database created at start. */
  database: string;
  /** Runs an InfluxQL statement (POST /query) and returns the parsed JSON body. */
  query(q: string): Promise<InfluxQueryResponse>;
  /** Stops the server (SIGTERM) and removes its folder. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), keeping its data for restart(): an outage. */
  kill(): Promise<void>;
  /** Starts the server again on the same ports and data folder. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that hangs without closing connections. */
  pause(): void;
  resume(): void;
}

export interface InfluxQueryResponse {
  error?: string;
  results?: {
    statement_id?: number;
    error?: string;
    series?: { name: string; columns: string[]; values: unknown[][] }[];
  }[];
}

const INFLUXD = '/usr/bin/influxd';

function config(dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"
  retention-autocreate = true
  logging-enabled = false

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  wal-fsync-delay = "0s"
  index-version = "inmem"
  query-log-enabled = false
  trace-logging-enabled = false

[coordinator]
  write-timeout = "10s"

[retention]
  enabled = false

[shard-precreation]
  enabled = false

[monitor]
  store-enabled = false

[subscriber]
  enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = false
  log-enabled = false
  suppress-write-log = true
  pprof-enabled = false
  max-body-size = 0

[ifql]
  enabled = false

[logging]
  level = "warn"
  suppress-logo = true

[continuous_queries]
  enabled = false
  log-enabled = false

[[graphite]]
  enabled = false

[[collectd]]
  enabled = false

[[opentsdb]]
  enabled = false

[[udp]]
  enabled = false
`;
}

/**
 * Starts Debian's influxd 1.6 (v1 HTTP API) on random loopback ports in a temp folder, with
 * reporting, monitoring and every listener but HTTP disabled, and creates `database`.
 */
export async function startInflux(opts: { database?: string } = {}): Promise<InfluxServer> {
  if (!existsSync(INFLUXD)) throw new Error(`${INFLUXD} is not installed (apt-get install influxdb)`);
  const database = opts.database ?? 'bedside_test';
  const dir = mkdtempSync(join(tmpdir(), 'bedside-influx-'));
  const port = await freePort();
  let rpcPort = await freePort();
  while (rpcPort === port) rpcPort = await freePort();
  const confPath = join(dir, 'influxdb.conf');
  writeFileSync(confPath, config(dir, port, rpcPort));
  const url = `http://127.0.0.1:${port}`;

  let proc: ChildProcess | undefined;
  let stderr = '';

  const launch = async (): Promise<void> => {
    stderr = '';
    const p = spawn(INFLUXD, ['run', '-config', confPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, INFLUXDB_REPORTING_DISABLED: 'true' },
    });
    proc = p;
    p.stderr?.on('data', (d) => {
      stderr += d.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    await waitFor(
      async () => {
        if (p.exitCode !== null) throw new Error(`influxd exited with ${p.exitCode}: ${stderr}`);
        const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
        return res.status === 204;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'influxd to answer /ping' },
    );
  };

  const exited = (p: ChildProcess) =>
    new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGCONT');
    p.kill(signal);
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited(p);
    clearTimeout(timer);
  };

  const query = async (q: string): Promise<InfluxQueryResponse> => {
    const res = await fetch(`${url}/query?db=${encodeURIComponent(database)}&epoch=ms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    return (await res.json()) as InfluxQueryResponse;
  };

  try {
    await launch();
    const created = await query(`CREATE DATABASE "${database.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    const err = created.error ?? created.results?.[0]?.error;
    if (err) throw new Error(`CREATE DATABASE failed: ${err}`);
  } catch (err) {
    await halt('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    port,
    database,
    query,
    async stop() {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await halt('SIGKILL');
    },
    async restart() {
      await halt('SIGKILL');
      await launch();
    },
    pause() {
      proc?.kill('SIGSTOP');
    },
    resume() {
      proc?.kill('SIGCONT');
    },
  };
}
