import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface PostgresServer {
  url: string;
  port: number;
  /** A fresh empty database on this server. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) but keeps its data, for outage tests. */
  halt(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  /**
   * SIGSTOPs the server and every backend: connections stay open and queries hang unanswered,
   * like a host that froze or a network that silently drops packets.
   */
  freeze(): void;
  /** SIGCONTs what freeze() stopped. */
  thaw(): void;
  stop(): Promise<void>;
}

/** Options shared by the engine starters. */
export interface StarterOptions {
  /**
   * Own process group: a Ctrl-C in the terminal then reaches only the program that started the
   * engine, which stops it in its own order (npm run cluster: hubs first, then the engines).
   */
  detached?: boolean;
}

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return join(root, versions[0], 'bin');
}

/**
 * Starts a throwaway PostgreSQL on a random loopback port in a temp folder. PostgreSQL refuses
 * to run as root, so when the tests run as root the cluster belongs to the `postgres` user
 * (setpriv execs in place, so signals reach the server itself).
 */
export async function startPostgres(options: StarterOptions = {}): Promise<PostgresServer> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'bedside-pg-'));
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', cmd, ...args]] : [cmd, args];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [initCmd, initArgs] = wrap(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'bedside',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const url = `postgres://bedside@127.0.0.1:${port}/postgres`;
  let proc!: ChildProcess;
  const launch = async () => {
    const [cmd, args] = wrap(join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ]);
    proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: options.detached });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
        const c = new pg.Client(url);
        await c.connect();
        await c.end();
        return true;
      },
      { timeoutMs: 30_000, what: 'postgres to accept connections' },
    );
  };
  const halt = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGINT'); // fast shutdown: ends sessions, keeps data
      await exited;
    }
  };
  let frozen: number[] = [];
  const freeze = () => {
    // The postmaster first, so it forks no backend that would escape the stop.
    process.kill(proc.pid!, 'SIGSTOP');
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(proc.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((pid) => pid > 0);
    for (const pid of children) process.kill(pid, 'SIGSTOP');
    frozen = [proc.pid!, ...children];
  };
  const thaw = () => {
    for (const pid of frozen.reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // a backend that ended while stopped
      }
    }
    frozen = [];
  };
  await launch();

  return {
    url,
    port,
    async createDatabase(name: string) {
      const c = new pg.Client(url);
      await c.connect();
      await c.query(`create database "${name}"`);
      await c.end();
      return `postgres://bedside@127.0.0.1:${port}/${name}`;
    },
    halt,
    resume: launch,
    freeze,
    thaw,
    async stop() {
      thaw();
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
