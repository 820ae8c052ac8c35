/**
 * Counts failed logins per key (client address, device id) in a sliding window; past the limit
 * a key is refused without checking credentials until its failures age out. Guessing a 256-bit
 * secret is hopeless anyway: this protects the database and the logs from a flood.
 */
export class LoginThrottle {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  isBlocked(key: string): boolean {
    return this.recent(key).length >= this.max;
  }

  /** Milliseconds until a blocked key is let through again (enough failures age out); 0 if not blocked. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.max) return 0;
    return Math.max(0, list[list.length - this.max] + this.windowMs - this.now());
  }

  recordFailure(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  /** Drops keys with no recent failures (called periodically to bound memory). */
  sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}

/** Token bucket per client address: new connections per second, with a burst of the same size. */
export class ConnectionRateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {}

  allow(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.perSecond, at: t };
    b.tokens = Math.min(this.perSecond, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }

  sweep(): void {
    const t = this.now();
    for (const [k, b] of this.buckets) if (t - b.at > 10_000) this.buckets.delete(k);
  }
}
