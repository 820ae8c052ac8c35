export interface BackoffOptions {
  /** Wait after the first failed attempt. */
  initialMs: number;
  /** The wait doubles per failed attempt up to this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 2000 };

/**
 * Exponential backoff between connection attempts, with ±20 % jitter so nodes that lost the
 * same server do not knock on it in step. `wait()` has no side effect (the NATS client may ask
 * several times while it waits for one attempt); `attempted()` counts an attempt, `reset()`
 * starts over once connected.
 */
export class ReconnectBackoff {
  private attempts = 0;

  constructor(
    private readonly opts: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {
    if (!(opts.initialMs > 0 && opts.maxMs >= opts.initialMs)) throw new RangeError('bad backoff bounds');
  }

  wait(): number {
    const exponent = Math.max(0, this.attempts - 1);
    const base = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** Math.min(exponent, 30));
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  attempted(): void {
    this.attempts++;
  }

  reset(): void {
    this.attempts = 0;
  }
}
