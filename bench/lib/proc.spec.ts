import { spawnSync } from 'node:child_process';
import { cpuSeconds, mainThreadSchedMs, mainThreadSleeps, threadCpuSeconds, treeCpuSeconds } from './proc';

/** Keeps this thread busy until it has used `us` µs of CPU (its own time, whatever else runs). */
function burnCpu(us: number): void {
  const t0 = process.cpuUsage();
  for (;;) {
    const u = process.cpuUsage(t0);
    if (u.user + u.system >= us) return;
  }
}

describe('treeCpuSeconds', () => {
  it("keeps the CPU of a child that has exited (reaped) in its parent's total", () => {
    const ownBefore = cpuSeconds(process.pid);
    const treeBefore = treeCpuSeconds([process.pid]);
    // A child that burns 0.4 s of CPU (its own CPU time, not wall time: the machine may be busy),
    // exits and is reaped (spawnSync waits for it).
    const r = spawnSync(process.execPath, [
      '-e',
      'const t0 = process.cpuUsage(); for (;;) { const u = process.cpuUsage(t0); if (u.user + u.system >= 400_000) break; }',
    ]);
    expect(r.status).toBe(0);
    const own = cpuSeconds(process.pid) - ownBefore;
    const tree = treeCpuSeconds([process.pid]) - treeBefore;
    expect(tree - own).toBeGreaterThan(0.25);
  });
});

describe('mainThreadSchedMs', () => {
  it("counts this process's main thread running while it burns CPU", () => {
    const before = mainThreadSchedMs(process.pid);
    burnCpu(200_000);
    const after = mainThreadSchedMs(process.pid);
    expect(after.runMs - before.runMs).toBeGreaterThan(150);
    expect(after.waitMs).toBeGreaterThanOrEqual(before.waitMs);
  });
});

describe('mainThreadSleeps', () => {
  it("counts this process's main thread going to sleep while it waits on timers", async () => {
    const before = mainThreadSleeps(process.pid);
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
    expect(mainThreadSleeps(process.pid) - before).toBeGreaterThanOrEqual(5);
  });
});

describe('threadCpuSeconds', () => {
  it("puts CPU the main thread burns on the main thread, and never more than the process's own", () => {
    const before = threadCpuSeconds(process.pid);
    burnCpu(300_000);
    const after = threadCpuSeconds(process.pid);
    expect(after.main - before.main).toBeGreaterThan(0.2);
    // The live threads never add up to more than the process (which also keeps ended threads' CPU);
    // each thread's figure is rounded to clock ticks, hence the slack.
    expect(after.main + after.others).toBeLessThanOrEqual(cpuSeconds(process.pid) + 0.05);
  });

  it('reads nothing for a process that does not exist', () => {
    expect(threadCpuSeconds(2 ** 22 + 1)).toEqual({ main: 0, others: 0 });
  });
});
