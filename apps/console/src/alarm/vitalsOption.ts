import type { EChartsCoreOption } from 'echarts/core';
import { VITAL_FIELDS, type VitalField, type VitalsBucket } from '../api/types';
import { formatHourMinute, formatTime, toMs } from '../i18n/format';

const COLORS: Record<VitalField, string> = { heartRate: '#c62828', respirationRate: '#1565c0', spo2: '#2e7d32' };

/** ECharts option: mean lines per vital (SpO₂ on its own axis) and a marker at the alarm. */
export function vitalsOption(
  buckets: VitalsBucket[],
  raisedAtMs: number,
  labels: Record<VitalField | 'raised', string>,
): EChartsCoreOption {
  const series = VITAL_FIELDS.map((field) => ({
    name: labels[field],
    type: 'line',
    yAxisIndex: field === 'spo2' ? 1 : 0,
    showSymbol: false,
    connectNulls: false,
    lineStyle: { width: 2 },
    itemStyle: { color: COLORS[field] },
    data: buckets.map((b) => [toMs(b.ts), b.values[field]?.count ? roundOrNull(b.values[field]?.mean) : null]),
    ...(field === 'heartRate' && {
      markLine: {
        symbol: 'none',
        silent: true,
        lineStyle: { color: '#6a1b9a', type: 'dashed', width: 2 },
        label: { formatter: labels.raised, color: '#6a1b9a', fontWeight: 'bold' },
        data: [{ xAxis: raisedAtMs }],
      },
    }),
  }));
  return {
    animation: false,
    grid: { left: 44, right: 44, top: 36, bottom: 28 },
    legend: { top: 0, textStyle: { fontSize: 13 } },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number | string | null | undefined) => (v == null ? '—' : String(v)),
      axisPointer: { label: { formatter: (p: { value: unknown }) => formatTime(Number(p.value)) } },
    },
    xAxis: {
      type: 'time',
      min: raisedAtMs - 15 * 60_000,
      max: raisedAtMs + 15 * 60_000,
      minInterval: 5 * 60_000,
      axisLabel: { formatter: (v: number) => formatHourMinute(v), hideOverlap: true },
    },
    yAxis: [
      { type: 'value', name: '/min', scale: true, splitLine: { lineStyle: { color: '#eceff1' } } },
      { type: 'value', name: '%', min: 80, max: 100, splitLine: { show: false } },
    ],
    series,
  };
}

const roundOrNull = (v: number | null | undefined) =>
  v == null || !Number.isFinite(v) ? null : Math.round(v * 10) / 10;
