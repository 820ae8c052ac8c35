import { ConnectionRateLimiter, LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('blocks a key after max failures within the window and releases it after', () => {
    let now = 0;
    const t = new LoginThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(t.isBlocked('10.0.0.1')).toBe(false);
      t.recordFailure('10.0.0.1');
      now += 1000;
    }
    expect(t.isBlocked('10.0.0.1')).toBe(true);
    expect(t.isBlocked('10.0.0.2')).toBe(false);
    now += 60_000;
    expect(t.isBlocked('10.0.0.1')).toBe(false);
  });

  it('says how long a blocked key waits: until enough failures age out of the window', () => {
    let now = 0;
    const t = new LoginThrottle(3, 60_000, () => now);
    expect(t.retryAfterMs('k')).toBe(0);
    for (let i = 0; i < 4; i++) {
      t.recordFailure('k');
      now += 1000;
    }
    // failures at 0, 1, 2 and 3 s: the key unblocks when the one at 1 s ages out
    expect(t.retryAfterMs('k')).toBe(57_000);
    now += 57_000;
    expect(t.isBlocked('k')).toBe(false);
    expect(t.retryAfterMs('k')).toBe(0);
  });

  it('a success clears the key', () => {
    const t = new LoginThrottle(2, 60_000, () => 0);
    t.recordFailure('d');
    t.recordSuccess('d');
    t.recordFailure('d');
    expect(t.isBlocked('d')).toBe(false);
  });
});

describe('ConnectionRateLimiter', () => {
  it('allows a burst up to the rate, then refills over time', () => {
    let now = 0;
    const r = new ConnectionRateLimiter(5, () => now);
    const burst = Array.from({ length: 7 }, () => r.allow('ip'));
    expect(burst.filter(Boolean)).toHaveLength(5);
    now += 400; // 2 tokens
    expect([r.allow('ip'), r.allow('ip'), r.allow('ip')]).toEqual([true, true, false]);
  });
});
