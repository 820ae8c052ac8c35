import { ReconnectBackoff } from './reconnect-backoff';

describe('ReconnectBackoff', () => {
  it('doubles per attempt from the initial wait up to the cap, and starts over after reset', () => {
    const b = new ReconnectBackoff({ initialMs: 100, maxMs: 1000 }, () => 0.5);
    const waits: number[] = [b.wait()];
    for (let i = 0; i < 6; i++) {
      b.attempted();
      waits.push(b.wait());
    }
    expect(waits).toEqual([100, 100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.wait()).toBe(100);
  });

  it('asking for the wait does not advance it', () => {
    const b = new ReconnectBackoff({ initialMs: 100, maxMs: 1000 }, () => 0.5);
    b.attempted();
    b.attempted();
    expect([b.wait(), b.wait(), b.wait()]).toEqual([200, 200, 200]);
  });

  it('jitters by ±20 %', () => {
    expect(new ReconnectBackoff({ initialMs: 1000, maxMs: 1000 }, () => 0).wait()).toBe(800);
    expect(new ReconnectBackoff({ initialMs: 1000, maxMs: 1000 }, () => 0.999999).wait()).toBe(1200);
  });

  it('refuses bounds that make no sense', () => {
    expect(() => new ReconnectBackoff({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => new ReconnectBackoff({ initialMs: 100, maxMs: 10 })).toThrow(RangeError);
  });
});
