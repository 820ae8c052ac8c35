import type { Clock } from '@bedside/common';

/** A clock that moves only when told to: for tests, backtests and replays. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }

  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}
