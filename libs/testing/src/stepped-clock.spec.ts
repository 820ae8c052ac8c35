import { spawn } from 'node:child_process';
import { SteppedClock } from './stepped-clock';

/**
 * A child process under the clock prints its wall clock and monotonic clock, waits for a line on
 * stdin, and prints them again: the wall clock follows set() at once, the monotonic one does not jump.
 */
function probe(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const p = () => console.log(JSON.stringify([Date.now(), performance.timeOrigin + performance.now()]));
       p(); process.stdin.once('data', () => { p(); process.exit(0); });`,
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: [number, number][] = [];
  let waiting: (() => void) | null = null;
  let text = '';
  child.stdout.on('data', (d: Buffer) => {
    text += d.toString();
    let nl: number;
    while ((nl = text.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(text.slice(0, nl)) as [number, number]);
      text = text.slice(nl + 1);
      waiting?.();
    }
  });
  const next = (n: number) =>
    new Promise<[number, number]>((resolve) => {
      const check = () => lines.length >= n && resolve(lines[n - 1]);
      waiting = check;
      check();
    });
  return { child, next };
}

describe('SteppedClock', () => {
  it('moves the process wall clock at once, not its monotonic clock', async () => {
    const start = Date.parse('2027-02-01T07:00:00Z');
    const clock = new SteppedClock(start);
    try {
      const p = probe(clock.env);
      const [wall1, mono1] = await p.next(1);
      // Started at `start`, running at real speed since (the process start, well under 10 s).
      expect(wall1 - start).toBeGreaterThanOrEqual(0);
      expect(wall1 - start).toBeLessThan(10_000);
      expect(Math.abs(clock.now() - wall1)).toBeLessThan(10_000);

      clock.set(start + 3 * 3_600_000);
      p.child.stdin.write('\n');
      const [wall2, mono2] = await p.next(2);
      expect(wall2 - (start + 3 * 3_600_000)).toBeGreaterThanOrEqual(0);
      expect(wall2 - (start + 3 * 3_600_000)).toBeLessThan(10_000);
      // Timers keep real durations: the monotonic clock moved by the real time in between only.
      expect(mono2 - mono1).toBeLessThan(10_000);
      expect(() => clock.set(start)).toThrow(RangeError);
    } finally {
      clock.dispose();
    }
  }, 30_000);
});
