import { spawnSync } from 'node:child_process';
import { cpuSeconds, treeCpuSeconds } from './proc';

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
