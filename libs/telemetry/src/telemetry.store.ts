import type { AggregateQuery, AggregateRow, TelemetryPoint, TelemetryQuery } from './telemetry-point';

/**
 * Where time series live: InfluxDB in production, the hub's SQL database by default. Both
 * implementations pass the same contract suite (telemetry-store.contract.ts).
 */
export abstract class TelemetryStore {
  abstract readonly name: string;
  /**
   * Resolves once the points are durable (stored, or in the on-disk spool), so the caller may
   * acknowledge them. Writing a point again with the same (deviceId, ts) changes nothing.
   */
  abstract write(points: TelemetryPoint[]): Promise<void>;
  /** Raw samples, oldest first. */
  abstract query(q: TelemetryQuery): Promise<TelemetryPoint[]>;
  /** min/mean/max per interval for charts, oldest first; empty intervals are omitted. */
  abstract aggregate(q: AggregateQuery): Promise<AggregateRow[]>;
  /** Pushes everything buffered to the backing store (used at shutdown and in tests). */
  abstract flush(): Promise<void>;
  abstract close(): Promise<void>;
}
