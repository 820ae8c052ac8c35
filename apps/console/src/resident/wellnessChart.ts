import type { MetricName, StoredNight } from '../api/supervision';

/** Band half-width in scaled MADs: about two standard deviations of the resident's usual nights. */
const BAND_MADS = 2;

const valueOf = (n: StoredNight, metric: MetricName): number | null => {
  switch (metric) {
    case 'timeInBedMs':
      return n.summary.hasData ? n.summary.presence.timeInBedMs : null;
    case 'bedExits':
      return n.summary.hasData ? n.summary.bedExits.count : null;
    case 'restingHeartRate':
      return n.summary.heartRate?.median ?? null;
    case 'restingRespirationRate':
      return n.summary.respirationRate?.median ?? null;
  }
};

const CODES: Record<MetricName, string> = {
  timeInBedMs: 'time_in_bed_down',
  bedExits: 'bed_exits_up',
  restingHeartRate: 'resting_heart_rate_up',
  restingRespirationRate: 'resting_respiration_rate_up',
};

/**
 * One metric over the nights: the night's value (deviating nights in red) over the personal
 * baseline, its median dashed inside a band of ± 2 × MAD (none while the baseline warms up).
 */
export function wellnessOption(
  nights: StoredNight[],
  metric: MetricName,
  labels: { value: string; baseline: string },
  scale = 1,
) {
  const round = (x: number) => Math.round((x / scale) * 10) / 10;
  const band = nights.map((n) => {
    const m = n.baseline.ready ? n.baseline.metrics[metric] : null;
    return m
      ? {
          median: round(m.median),
          low: round(Math.max(0, m.median - BAND_MADS * m.mad)),
          high: round(m.median + BAND_MADS * m.mad),
        }
      : null;
  });
  return {
    animation: false,
    grid: { left: 44, right: 16, top: 28, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { data: [labels.value, labels.baseline], top: 0 },
    color: ['#2b5fd9', '#5b8def'],
    xAxis: { type: 'category', data: nights.map((n) => n.night.slice(5)) },
    yAxis: { type: 'value', scale: true },
    series: [
      {
        name: 'low',
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        data: band.map((b) => (b ? b.low : null)),
      },
      {
        name: labels.baseline,
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: '#5b8def', opacity: 0.18 },
        data: band.map((b) => (b ? Math.round((b.high - b.low) * 10) / 10 : null)),
      },
      {
        // The median itself, dashed: the band has no width for a resident whose nights never vary.
        name: labels.baseline,
        type: 'line',
        symbol: 'none',
        lineStyle: { color: '#5b8def', type: 'dashed', width: 1.5 },
        data: band.map((b) => (b ? b.median : null)),
      },
      {
        name: labels.value,
        type: 'line',
        symbolSize: 6,
        connectNulls: false,
        lineStyle: { color: '#2b5fd9' },
        data: nights.map((n) => {
          const v = valueOf(n, metric);
          const flagged = n.deviations.some((d) => d.code === CODES[metric]);
          return { value: v === null ? null : round(v), itemStyle: { color: flagged ? '#d93025' : '#2b5fd9' } };
        }),
      },
    ],
  };
}
