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
