import { build, type Histogram } from 'hdr-histogram-js';

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** HDR histogram of durations recorded in microseconds, reported in milliseconds. */
export class LatencyHistogram {
  private readonly h: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  summary(): Percentiles {
    const ms = (us: number) => Math.round(us) / 1000;
    const at = (p: number) => (this.h.totalCount === 0 ? 0 : ms(this.h.getValueAtPercentile(p)));
    return {
      count: this.h.totalCount,
      mean: this.h.totalCount === 0 ? 0 : ms(this.h.mean),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: this.h.totalCount === 0 ? 0 : ms(this.h.maxValue),
    };
  }
}
