import { DeviceQuotas, TokenBucket } from './device-quota';

const limits = { messagesPerS: 10, messageBurst: 20, bytesPerS: 1000, byteBurst: 5000 };

describe('TokenBucket', () => {
  it('refills at its rate up to its burst', () => {
    const b = new TokenBucket(10, 20, 0);
    b.take(20, 0);
    expect(b.has(1, 0)).toBe(false);
    expect(b.has(5, 500)).toBe(true);
    expect(b.has(6, 500)).toBe(false);
    expect(b.full(10_000)).toBe(true);
    expect(b.has(21, 10_000)).toBe(false);
  });
});

describe('DeviceQuotas', () => {
  it('admits a burst, then refuses the excess; one state change reported each way', () => {
    const q = new DeviceQuotas(limits, 1000);
    const verdicts = Array.from({ length: 25 }, () => q.admit('d1', 10, 0));
    expect(verdicts.filter((v) => v.verdict === 'ok')).toHaveLength(20);
    expect(verdicts.filter((v) => v.change?.state === 'throttled')).toEqual([
      { verdict: 'messages', change: { state: 'throttled', kind: 'messages' } },
    ]);
    // 100 ms later one message's worth has come back: it passes, but the spell goes on while the flood does.
    expect(q.admit('d1', 10, 100)).toEqual({ verdict: 'ok' });
    expect(q.admit('d1', 10, 100)).toEqual({ verdict: 'messages' });
    // Quiet for a second after the last refusal: the spell ends, with what it refused.
    expect(q.admit('d1', 10, 1100)).toEqual({ verdict: 'ok', change: { state: 'released', refused: 6 } });
    expect(q.admit('d1', 10, 1100).change).toBeUndefined();
  });

  it('limits bytes separately from messages, and a refusal costs nothing', () => {
    const q = new DeviceQuotas(limits);
    expect(q.admit('d1', 4000, 0).verdict).toBe('ok');
    expect(q.admit('d1', 2000, 0).verdict).toBe('bytes');
    expect(q.admit('d1', 1000, 0).verdict).toBe('ok');
  });

  it('passes exempt traffic whatever the budget, charging it; other devices are unaffected', () => {
    const q = new DeviceQuotas(limits);
    for (let i = 0; i < 100; i++) expect(q.admit('flood', 100, 0, true).verdict).toBe('ok');
    expect(q.admit('flood', 1, 0).verdict).toBe('messages');
    expect(q.admit('other', 1, 0).verdict).toBe('ok');
  });

  it('says what a device may still send, throttled or not, charging nothing; a refusal from it starts the spell', () => {
    const q = new DeviceQuotas(limits);
    expect(q.allowance('new', 0)).toEqual({ messages: 20, bytes: 5000 });
    expect(q.tracked).toBe(0);
    for (let i = 0; i < 15; i++) q.admit('d1', 100, 0);
    expect(q.allowance('d1', 0)).toEqual({ messages: 5, bytes: 3500 });
    expect(q.allowance('d1', 150)).toEqual({ messages: 6, bytes: 3650 }); // 1.5 messages refilled: 1 whole
    expect(q.allowance('d1', 150)).toEqual({ messages: 6, bytes: 3650 });
    expect(q.refuse('d1', 'messages', 40, 200)).toEqual({ state: 'throttled', kind: 'messages' });
    expect(q.refuse('d1', 'messages', 40, 300)).toBeUndefined();
  });

  it('tells a throttled device at most once per period and forgets full budgets', () => {
    const q = new DeviceQuotas(limits);
    q.admit('d1', 1, 0);
    expect(q.shouldTell('d1', 0, 5000)).toBe(true);
    expect(q.shouldTell('d1', 4999, 5000)).toBe(false);
    expect(q.shouldTell('d1', 5000, 5000)).toBe(true);
    q.sweep(0);
    expect(q.tracked).toBe(1);
    q.sweep(60_000);
    expect(q.tracked).toBe(0);
  });
});
