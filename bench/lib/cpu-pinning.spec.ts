import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import {
  affinityOf,
  describePinning,
  parseCpuList,
  planPinning,
  setAffinity,
  setMainThreadAffinity,
} from './cpu-pinning';

describe('CPU pinning', () => {
  it('reads CPU lists as taskset writes them', () => {
    expect(parseCpuList('0')).toEqual([0]);
    expect(parseCpuList('0,2-4,7\n')).toEqual([0, 2, 3, 4, 7]);
    expect(() => parseCpuList('0x3')).toThrow(/CPU list/);
  });

  it('gives the hub the first CPU and the load the rest, and pins nothing on one CPU or without taskset', () => {
    expect(planPinning([0, 1])).toEqual({ hub: [0], load: [1] });
    expect(planPinning([2, 3, 5])).toEqual({ hub: [2], load: [3, 5] });
    expect(planPinning([0])).toBeNull();
    expect(planPinning(null)).toBeNull();
    expect(describePinning({ hub: [0], load: [1] })).toMatch(/main thread pinned to CPU 0 .*PostgreSQL to CPU 1/);
    expect(describePinning(null)).toMatch(/not pinned/);
  });

  it('pins every thread of a running process (taskset -a)', async () => {
    const mine = affinityOf(process.pid);
    expect(mine).not.toBeNull();
    const cpu = mine![mine!.length - 1];
    // A node process has several threads (libuv pool, V8 platform) by the time it waits.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 20_000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      setAffinity(child.pid!, [cpu]);
      const threads = readdirSync(`/proc/${child.pid}/task`).map(Number);
      expect(threads.length).toBeGreaterThan(1);
      for (const tid of threads) expect(affinityOf(tid)).toEqual([cpu]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('pins the main thread alone, the other threads where told', async () => {
    const mine = affinityOf(process.pid)!;
    const cpu = mine[mine.length - 1];
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 20_000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      setMainThreadAffinity(child.pid!, [cpu], mine);
      expect(affinityOf(child.pid!)).toEqual([cpu]);
      const others = readdirSync(`/proc/${child.pid}/task`)
        .map(Number)
        .filter((t) => t !== child.pid);
      expect(others.length).toBeGreaterThan(0);
      for (const tid of others) expect(affinityOf(tid)).toEqual(mine);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
