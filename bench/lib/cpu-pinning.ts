import { execFileSync } from 'node:child_process';

/**
 * Which CPUs the hub and the load (generators, measuring clients, PostgreSQL) run on during a
 * bench, set with taskset (util-linux). In production the devices are other machines: on a
 * small bench machine pinning keeps the generators from taking the hub's CPU, so what the
 * other devices' latency measures is the hub.
 */
export interface CpuPinning {
  hub: number[];
  load: number[];
}

/** A CPU list as taskset prints and takes it: "0,2-3" -> [0, 2, 3]. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`not a CPU list: ${list}`);
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus;
}

/** The CPUs a process may run on, from `taskset -c -p`; null when taskset is missing or fails. */
export function affinityOf(pid: number): number[] | null {
  try {
    const out = execFileSync('taskset', ['-c', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const list = /affinity list:\s*(\S+)/.exec(out)?.[1];
    return list ? parseCpuList(list) : null;
  } catch {
    return null;
  }
}

/**
 * Puts every thread of `pid` on `cpus` (`taskset -a`): threads and processes it starts later
 * inherit it.
 */
export function setAffinity(pid: number, cpus: readonly number[]): void {
  execFileSync('taskset', ['-a', '-c', '-p', cpus.join(','), String(pid)], { stdio: 'ignore' });
}

/**
 * Puts the main thread of `pid` (its thread id is the pid) on `cpus` and every other thread on
 * `others`: the hub's JavaScript runs on its main thread, while garbage collection helpers and
 * the libuv pool may still use any CPU, as they would on a machine of its own.
 */
export function setMainThreadAffinity(pid: number, cpus: readonly number[], others: readonly number[]): void {
  setAffinity(pid, others);
  execFileSync('taskset', ['-c', '-p', cpus.join(','), String(pid)], { stdio: 'ignore' });
}

/**
 * The split of the CPUs this process may use: the first for the hub, the rest for the load.
 * Null (no pinning) with fewer than two or without taskset.
 */
export function planPinning(cpus: number[] | null = affinityOf(process.pid)): CpuPinning | null {
  if (!cpus || cpus.length < 2) return null;
  return { hub: [cpus[0]], load: cpus.slice(1) };
}

export function describePinning(p: CpuPinning | null | undefined): string {
  if (!p) return 'not pinned (every process on any CPU)';
  const cpu = (xs: number[]) => `CPU${xs.length > 1 ? 's' : ''} ${xs.join(',')}`;
  return `hub's main thread pinned to ${cpu(p.hub)} (its helper threads on any CPU); load generators, measuring clients and PostgreSQL to ${cpu(p.load)} (taskset)`;
}
