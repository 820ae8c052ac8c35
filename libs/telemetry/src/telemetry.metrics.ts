import { Gauge } from 'prom-client';
import type { Metrics } from '@bedside/observability';
import type { TelemetryStore, TelemetryStoreStats } from './telemetry.store';

const EXPORTED: [keyof TelemetryStoreStats, string, string][] = [
  ['written', 'bedside_telemetry_points_written', 'Points accepted by the telemetry store'],
  [
    'rejected',
    'bedside_telemetry_points_rejected',
    'Points refused for good by the store (invalid, field type conflict)',
  ],
  ['dropped', 'bedside_telemetry_points_dropped', 'Points deleted unsent because the spool reached its bound'],
  ['spoolDepthPoints', 'bedside_telemetry_spool_depth_points', 'Points in the on-disk spool waiting for InfluxDB'],
  ['spoolBytes', 'bedside_telemetry_spool_bytes', 'Bytes of the on-disk spool'],
  ['spoolOldestAgeMs', 'bedside_telemetry_spool_oldest_age_ms', 'Age of the oldest spooled point, ms'],
  ['bufferedPoints', 'bedside_telemetry_buffered_points', 'Points accepted and not yet durable'],
];

/** Store statistics as Prometheus gauges, read at scrape time. */
export function registerTelemetryMetrics(metrics: Metrics, store: TelemetryStore): void {
  for (const [key, name, help] of EXPORTED) {
    new Gauge({
      name,
      help,
      labelNames: ['store'] as const,
      registers: [metrics.registry],
      collect() {
        this.set({ store: store.name }, Number(store.stats()[key]));
      },
    });
  }
}
