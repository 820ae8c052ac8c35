import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  /* Linux default */
}

/** utime + stime of one process, in seconds (/proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  return statCpu(`/proc/${pid}/stat`, false);
}

/** stime of one process alone, in seconds (/proc/<pid>/stat field 15): the kernel's share, sockets included. */
export function systemSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) / clkTck;
  } catch {
    return 0;
  }
}

/**
 * CPU of a process tree (all its live processes), in seconds, including descendants that exited:
 * each process adds cutime + cstime (fields 16 and 17, children it has reaped). Summing utime +
 * stime alone went backwards whenever a PostgreSQL backend exited during a window.
 */
export function treeCpuSeconds(pids: readonly number[]): number {
  return pids.reduce((a, p) => a + statCpu(`/proc/${p}/stat`, true), 0);
}

/** utime + stime (+ reaped children's) from a `stat` file of /proc, in seconds; 0 once it is gone. */
function statCpu(path: string, withReaped: boolean): number {
  try {
    const stat = readFileSync(path, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + (withReaped ? Number(f[13]) + Number(f[14]) : 0)) / clkTck;
  } catch {
    return 0;
  }
}

function ppidOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** The process and all its descendants (PostgreSQL backends, for instance). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const pp = ppidOf(pid);
    if (!children.has(pp)) children.set(pp, []);
    children.get(pp)!.push(pid);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** VmRSS in bytes. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Raises RLIMIT_NOFILE of this process (children inherit it); returns the soft limit now in force. */
export function raiseFileLimit(wanted: number): number {
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${wanted}:${wanted}`], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${wanted}:`], { stdio: 'ignore' });
    } catch {
      /* keep the inherited limit */
    }
  }
  return openFileLimit();
}

/** The soft RLIMIT_NOFILE of this process (what its children, HAProxy among them, inherit). */
export function openFileLimit(): number {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${process.pid}/limits`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * utime + stime of a process's main thread (its thread id is the pid) and of all its other
 * threads together, in seconds (/proc/<pid>/task/<tid>/stat): the event loop apart from V8's
 * and libuv's helpers.
 */
export function threadCpuSeconds(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { main, others };
  }
  for (const tid of tids) {
    const s = statCpu(`/proc/${pid}/task/${tid}/stat`, false);
    if (Number(tid) === pid) main += s;
    else others += s;
  }
  return { main, others };
}

/**
 * How long a process's main thread ran and how long it was runnable but waited for a CPU, in ms
 * (/proc/<pid>/task/<pid>/schedstat: time on CPU, time on the run queue, in ns). On a shared
 * machine the wait says how much of a latency was other jobs' CPU rather than the process's own.
 */
export function mainThreadSchedMs(pid: number): { runMs: number; waitMs: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return { runMs: 0, waitMs: 0 };
  }
}

/**
 * How many times a process's main thread went to sleep (voluntary context switches, from
 * /proc/<pid>/status): for an event loop, one per wait in epoll with nothing to do, so each is a
 * wake-up paid (a context switch and cold caches) before the next piece of work.
 */
export function mainThreadSleeps(pid: number): number {
  try {
    const m = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
