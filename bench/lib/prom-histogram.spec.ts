import { countOf, parseHistogram, pooled, quantileBoundMs, since } from './prom-histogram';

const text = (a: number, b: number, inf: number) =>
  [
    '# TYPE h histogram',
    `h_bucket{le="0.005",kind="sos"} ${a}`,
    `h_bucket{le="0.05",kind="sos"} ${b}`,
    `h_bucket{le="+Inf",kind="sos"} ${inf}`,
    'h_bucket{le="0.005",kind="fall"} 100',
    'h_bucket{le="0.05",kind="fall"} 100',
    'h_bucket{le="+Inf",kind="fall"} 100',
    `h_sum{kind="sos"} 1`,
  ].join('\n');

describe('Prometheus histogram windows', () => {
  it("reads one label set's cumulative buckets, and a window as the difference of two reads", () => {
    const before = parseHistogram(text(1, 2, 2), 'h', { kind: 'sos' });
    const after = parseHistogram(text(90, 99, 100), 'h', { kind: 'sos' });
    expect([...before]).toEqual([
      [0.005, 1],
      [0.05, 2],
      [Infinity, 2],
    ]);
    const w = since(before, after);
    expect(countOf(w)).toBe(98);
    expect(quantileBoundMs(w, 0.5)).toBe(5);
    expect(quantileBoundMs(w, 0.99)).toBe(Infinity); // 1 of 98 beyond 50 ms: p99 rank 98 is in +Inf
    expect(quantileBoundMs(w, 0.98)).toBe(50);
  });

  it('pools windows, sums label sets when none is asked for, and has no quantile without observations', () => {
    const all = parseHistogram(text(1, 2, 2), 'h');
    expect(all.get(0.005)).toBe(101);
    expect(countOf(pooled([all, all]))).toBe(204);
    expect(quantileBoundMs(new Map(), 0.99)).toBeNull();
  });
});
