import { WatchStats } from './watch-stats';

const msg = (seq: number | null, at: number, extra: Partial<{ deviceTs: number; receivedAt: number }> = {}) => ({
  channel: 'telemetry' as const,
  body: {},
  seq,
  deviceTs: extra.deviceTs ?? null,
  receivedAt: extra.receivedAt ?? null,
  observedAt: at,
});

describe('WatchStats', () => {
  it('counts gaps in seq, duplicates, rate and skew', () => {
    const s = new WatchStats(10_000);
    const now = 1_000_000;
    for (const seq of [1, 2, 3, 6, 7, 7, 10])
      s.add(msg(seq, now - 1000, { deviceTs: now - 1500, receivedAt: now - 1000 }), true);
    const r = s.summary(now);
    expect(r.seqGaps).toBe(2);
    expect(r.missingSeq).toBe(4);
    expect(r.duplicateSeq).toBe(1);
    expect(r.ratePerSec.telemetry).toBe(0.7);
    expect(r.skewMs).toEqual({ median: 500, last: 500, source: 'hub-receipt' });
  });
});
