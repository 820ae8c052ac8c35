import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireLibfaketime } from './compressed-clock';

/**
 * A wall clock the test moves by steps for a process (the hub) run under libfaketime: the
 * process reads its offset from a file on every clock call (FAKETIME_NO_CACHE), so `set()`
 * takes effect at once. Between two steps the clock runs at real speed. Only the wall clock
 * (Date.now, what the hub's domain time is) jumps: the monotonic clock stays real
 * (FAKETIME_DONT_FAKE_MONOTONIC), so timers, MQTT keep-alives and database timeouts keep real
 * durations and a jump of hours does not fire them all at once.
 */
export class SteppedClock {
  private readonly dir = mkdtempSync(join(tmpdir(), 'bedside-clock-'));
  private readonly file = join(this.dir, 'faketime');
  private offsetMs: number | null = null;

  constructor(start: Date | number) {
    this.set(typeof start === 'number' ? start : start.getTime());
  }

  /** Environment for the process: libfaketime preloaded, reading this clock's file. */
  get env(): Record<string, string> {
    return {
      LD_PRELOAD: requireLibfaketime(),
      FAKETIME_TIMESTAMP_FILE: this.file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      // File times stay real: nothing in the process reads them as the time, and faking every stat() slows its start.
      NO_FAKE_STAT: '1',
      TZ: 'UTC',
    };
  }

  /** The process's clock now, ms since the epoch. */
  now(): number {
    return Date.now() + (this.offsetMs ?? 0);
  }

  /** Moves the process's clock to `at` (never back: a step earlier than now is refused). */
  set(at: number): void {
    const offsetMs = at - Date.now();
    if (this.offsetMs !== null && offsetMs < this.offsetMs - 1)
      throw new RangeError(`the clock does not go back (to ${new Date(at).toISOString()})`);
    // Rounded up to the ms libfaketime reads, so the process is never behind `at`.
    const seconds = Math.ceil(offsetMs) / 1000;
    writeFileSync(this.file, `${seconds >= 0 ? '+' : ''}${seconds.toFixed(3)}\n`);
    this.offsetMs = Math.ceil(offsetMs);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
