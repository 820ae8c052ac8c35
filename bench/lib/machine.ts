import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).toString();
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    return `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`;
  }
};

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  mosquitto: string;
  influxd: string;
  postgres: string;
  nofile: number;
  loadAverageAtStart: number[];
  gitCommit: string;
  gitDirty: boolean;
}

export function machineInfo(nofile: number, root: string): MachineInfo {
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const pretty = /PRETTY_NAME="([^"]+)"/.exec(osRelease)?.[1] ?? 'unknown';
  const debian = existsSync('/etc/debian_version') ? readFileSync('/etc/debian_version', 'utf8').trim() : '';
  const pgBin = existsSync('/usr/lib/postgresql')
    ? run('ls', ['/usr/lib/postgresql']).trim().split('\n').sort().pop()
    : undefined;
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${pretty}${debian ? ` (debian_version ${debian})` : ''}`,
    kernel: run('uname', ['-r']).trim(),
    node: process.version,
    mosquitto: /mosquitto version (\S+)/.exec(run('/usr/sbin/mosquitto', ['-h']))?.[1] ?? 'not installed',
    influxd: /InfluxDB (\S+)/.exec(run('/usr/bin/influxd', ['version']))?.[1] ?? 'not installed',
    postgres: pgBin
      ? (/\(PostgreSQL\) (\S+)/.exec(run(`/usr/lib/postgresql/${pgBin}/bin/postgres`, ['--version']))?.[1] ?? 'unknown')
      : 'not installed',
    nofile,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    gitCommit: run('git', ['-C', root, 'rev-parse', '--short', 'HEAD']).trim(),
    gitDirty: run('git', ['-C', root, 'status', '--porcelain']).trim().length > 0,
  };
}
