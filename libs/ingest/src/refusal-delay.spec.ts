import { RefusalDelay } from './refusal-delay';

describe('RefusalDelay', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000 }));
  afterEach(() => jest.useRealTimers());

  const clock = () => Date.now();
  const watch = (p: Promise<unknown>) => {
    const s = { done: false };
    void p.then(() => (s.done = true));
    return s;
  };

  it('answers a refusal no sooner than the delay and no later than the delay plus the join window', async () => {
    const p = watch(new RefusalDelay(100, 10, clock).wait());
    await jest.advanceTimersByTimeAsync(99);
    expect(p.done).toBe(false);
    await jest.advanceTimersByTimeAsync(11);
    expect(p.done).toBe(true);
  });

  it('shares one timer between refusals within the join window, and starts a new one after it', async () => {
    const d = new RefusalDelay(100, 10, clock);
    const first = d.wait();
    await jest.advanceTimersByTimeAsync(10);
    const joined = d.wait();
    expect(joined).toBe(first);
    await jest.advanceTimersByTimeAsync(1);
    const next = d.wait();
    expect(next).not.toBe(first);
    expect(jest.getTimerCount()).toBe(2);
    const a = watch(joined);
    const b = watch(next);
    // The joined refusal is answered 100 ms after its own arrival (110 after the first's).
    await jest.advanceTimersByTimeAsync(98);
    expect(a.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect([a.done, b.done]).toEqual([true, false]);
    await jest.advanceTimersByTimeAsync(11);
    expect(b.done).toBe(true);
  });
});
