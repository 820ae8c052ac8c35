import { idleLimitMs } from './alarm-stream';

describe('dead-stream detection', () => {
  it('allows two heartbeats of the period the hub announces, plus a little slack', () => {
    expect(idleLimitMs('1000')).toBe(2500);
    expect(idleLimitMs('15000')).toBe(30_500);
  });

  it('assumes the default heartbeat when the hub announces none or nonsense', () => {
    expect(idleLimitMs(null)).toBe(30_500);
    expect(idleLimitMs('abc')).toBe(30_500);
    expect(idleLimitMs('5')).toBe(30_500);
  });
});
