/** Median and 5th/95th percentiles of a sample set: the range without its outliers. */
export interface Distribution {
  median: number;
  p5: number;
  p95: number;
  min: number;
  max: number;
  count: number;
}

/** Linearly interpolated percentile (Hyndman-Fan type 7, as numpy and spreadsheets) of sorted values. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function median(values: readonly number[]): number {
  return percentileOfSorted(Float64Array.from(values).sort(), 50);
}

/** Distribution of the values, or null when there are none. Values are rounded to 0.1 for storage. */
export function distributionOf(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  // A typed array sorts numerically without a comparator call per pair.
  const sorted = Float64Array.from(values).sort();
  return {
    median: round1(percentileOfSorted(sorted, 50)),
    p5: round1(percentileOfSorted(sorted, 5)),
    p95: round1(percentileOfSorted(sorted, 95)),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    count: sorted.length,
  };
}

/**
 * Median absolute deviation scaled by 1.4826, so that it estimates the standard deviation of
 * normally distributed data while ignoring the odd wild night.
 */
export function scaledMad(values: readonly number[], centre = median(values)): number {
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)));
}

export const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * distributionOf for values given as value -> count (a histogram): the same figures, computed by
 * walking the distinct values in order instead of sorting every sample.
 */
export function distributionOfCounts(counts: ReadonlyMap<number, number>): Distribution | null {
  const sorted = sortedCounts(counts);
  const total = sorted.length ? sorted[sorted.length - 1].upTo : 0;
  if (total === 0) return null;
  return {
    median: round1(percentileOfCounts(sorted, total, 50)),
    p5: round1(percentileOfCounts(sorted, total, 5)),
    p95: round1(percentileOfCounts(sorted, total, 95)),
    min: sorted[0].value,
    max: sorted[sorted.length - 1].value,
    count: total,
  };
}

/** Median of values given as value -> count; null when there are none. */
export function medianOfCounts(counts: ReadonlyMap<number, number>): number | null {
  const sorted = sortedCounts(counts);
  const total = sorted.length ? sorted[sorted.length - 1].upTo : 0;
  return total === 0 ? null : percentileOfCounts(sorted, total, 50);
}

/** Distinct values in order, each with how many values are at or below it. */
function sortedCounts(counts: ReadonlyMap<number, number>): { value: number; upTo: number }[] {
  const values = Float64Array.from(counts.keys()).sort();
  let upTo = 0;
  const out: { value: number; upTo: number }[] = [];
  for (const value of values) {
    const c = counts.get(value)!;
    if (c <= 0) continue;
    upTo += c;
    out.push({ value, upTo });
  }
  return out;
}

/** percentileOfSorted over the values the counts stand for, with the same arithmetic. */
function percentileOfCounts(sorted: readonly { value: number; upTo: number }[], total: number, p: number): number {
  const at = (index: number) => {
    for (const s of sorted) if (index < s.upTo) return s.value;
    return sorted[sorted.length - 1].value;
  };
  const rank = (p / 100) * (total - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return at(lo) + (at(hi) - at(lo)) * (rank - lo);
}
