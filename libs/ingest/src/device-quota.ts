/** A token bucket: `rate` tokens a second up to `burst`, refilled lazily from the clock. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  has(n: number, now: number): boolean {
    this.refill(now);
    return this.tokens >= n;
  }

  take(n: number, now: number): void {
    this.refill(now);
    this.tokens -= n;
  }

  /** Takes `n` tokens even if that leaves a debt (traffic that passes whatever the quota). */
  charge(n: number, now: number): void {
    this.refill(now);
    this.tokens = Math.max(this.tokens - n, -this.burst);
  }

  available(now: number): number {
    this.refill(now);
    return Math.max(0, this.tokens);
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.rate) / 1000);
    this.at = Math.max(this.at, now);
  }
}

export interface QuotaLimits {
  messagesPerS: number;
  messageBurst: number;
  bytesPerS: number;
  byteBurst: number;
}

export type QuotaVerdict = 'ok' | 'messages' | 'bytes';

/** What a device's messages did to its quota: a change of state is reported once, not per message. */
export interface QuotaTransition {
  state: 'throttled' | 'released';
  /** What ran out (throttled), or how many messages were refused while throttled (released). */
  kind?: 'messages' | 'bytes';
  refused?: number;
}

interface DeviceBudget {
  messages: TokenBucket;
  bytes: TokenBucket;
  throttled: boolean;
  refused: number;
  lastRefusedAt: number;
  /** When the device was last told (errors topic) that it is throttled. */
  toldAt: number;
}

/**
 * Per-device inbound quotas: a message budget and a byte budget, each a token bucket with a
 * burst. Plain bookkeeping with the caller's clock; the caller decides what a refusal means.
 */
export class DeviceQuotas {
  private readonly budgets = new Map<string, DeviceBudget>();

  /** `quietMs`: a throttled spell ends when a message passes this long after the last refusal. */
  constructor(
    private readonly limits: QuotaLimits,
    private readonly quietMs = 10_000,
  ) {}

  /** Charges one message of `bytes`; 'ok' or what ran out. `exempt` traffic passes and is only charged. */
  admit(
    deviceId: string,
    bytes: number,
    now: number,
    exempt = false,
  ): { verdict: QuotaVerdict; change?: QuotaTransition } {
    const b = this.budget(deviceId, now);
    if (exempt) {
      b.messages.charge(1, now);
      b.bytes.charge(bytes, now);
      return { verdict: 'ok' };
    }
    const verdict: QuotaVerdict = !b.messages.has(1, now) ? 'messages' : !b.bytes.has(bytes, now) ? 'bytes' : 'ok';
    if (verdict === 'ok') {
      b.messages.take(1, now);
      b.bytes.take(bytes, now);
      if (!b.throttled || now - b.lastRefusedAt < this.quietMs) return { verdict };
      const refused = b.refused;
      b.throttled = false;
      b.refused = 0;
      return { verdict, change: { state: 'released', refused } };
    }
    b.refused += 1;
    b.lastRefusedAt = now;
    if (b.throttled) return { verdict };
    b.throttled = true;
    return { verdict, change: { state: 'throttled', kind: verdict } };
  }

  /**
   * What a device may still send now (whole messages, bytes), charging nothing: its next
   * messages beyond that would be refused.
   */
  allowance(deviceId: string, now: number): { messages: number; bytes: number } {
    const b = this.budgets.get(deviceId);
    if (!b) return { messages: Math.floor(this.limits.messageBurst), bytes: this.limits.byteBurst };
    return { messages: Math.floor(b.messages.available(now)), bytes: b.bytes.available(now) };
  }

  /** Records `count` messages refused at once (each would have been refused by `admit`). */
  refuse(deviceId: string, kind: Exclude<QuotaVerdict, 'ok'>, count: number, now: number): QuotaTransition | undefined {
    const b = this.budget(deviceId, now);
    b.refused += count;
    b.lastRefusedAt = now;
    if (b.throttled) return undefined;
    b.throttled = true;
    return { state: 'throttled', kind };
  }

  /** Whether the device should be told again that it is throttled (at most once per `everyMs`). */
  shouldTell(deviceId: string, now: number, everyMs: number): boolean {
    const b = this.budgets.get(deviceId);
    if (!b || now - b.toldAt < everyMs) return false;
    b.toldAt = now;
    return true;
  }

  /** Forgets devices whose budgets are full again (nothing to remember about them). */
  sweep(now: number): void {
    for (const [id, b] of this.budgets)
      if ((!b.throttled || now - b.lastRefusedAt >= this.quietMs) && b.messages.full(now) && b.bytes.full(now))
        this.budgets.delete(id);
  }

  get tracked(): number {
    return this.budgets.size;
  }

  private budget(deviceId: string, now: number): DeviceBudget {
    let b = this.budgets.get(deviceId);
    if (!b) {
      b = {
        messages: new TokenBucket(this.limits.messagesPerS, this.limits.messageBurst, now),
        bytes: new TokenBucket(this.limits.bytesPerS, this.limits.byteBurst, now),
        throttled: false,
        refused: 0,
        lastRefusedAt: -Infinity,
        toldAt: -Infinity,
      };
      this.budgets.set(deviceId, b);
    }
    return b;
  }
}
