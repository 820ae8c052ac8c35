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
  stop(): Promise<void>;
}

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return join(root, versions[0], 'bin');
}

/**
 * Starts a throwaway PostgreSQL on a random loopback port in a temp folder. PostgreSQL refuses
 * to run as root, so when the tests run as root the cluster belongs to the `postgres` user.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'bedside-pg-'));
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [initCmd, initArgs] = wrap(join(bin, 'initdb'), ['-D', data, '-U', 'bedside', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [cmd, args] = wrap(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'max_connections=200']);
  const proc: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d) => (stderr += d.toString()));
  const url = `postgres://bedside@127.0.0.1:${port}/postgres`;
  await waitFor(async () => {
    if (proc.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
    const c = new pg.Client(url);
    await c.connect();
    await c.end();
    return true;
  }, { timeoutMs: 30_000, what: 'postgres to accept connections' });

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
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGINT'); // fast shutdown
        await new Promise<void>((r) => proc.once('exit', () => r()));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
