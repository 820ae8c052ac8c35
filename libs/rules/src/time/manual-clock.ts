/** Source of "now" (ms epoch). Injected so the rules never read the wall clock themselves. */
export interface Clock {
  now(): number;
}

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
