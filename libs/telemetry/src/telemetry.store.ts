import type { AggregateQuery, AggregateRow, TelemetryPoint, TelemetryQuery } from './telemetry-point';

/** Counters and gauges a store exposes for metrics and health checks. */
export interface TelemetryStoreStats {
  /** Points the backing store has accepted (InfluxDB: acknowledged by a 2xx, directly or on replay). */
  written: number;
  /** Points refused for good (invalid, or a 4xx such as a field type conflict); counted, logged, not retried. */
  rejected: number;
  /** Points deleted unsent because the spool reached its bound. */
  dropped: number;
  /** Points appended to the on-disk spool since start. */
  spooled: number;
  /** Points replayed from the spool into the backing store since start. */
  replayed: number;
  /** Points accepted by write() and not yet durable. */
  bufferedPoints: number;
  /** Bytes of spool segment files on disk. */
  spoolBytes: number;
  spoolSegments: number;
  /** Points in the spool waiting for replay. */
  spoolDepthPoints: number;
  /** Age of the oldest point waiting in the spool, ms (0 when empty). */
  spoolOldestAgeMs: number;
  /** True while writes go to the spool because the backing store is unreachable (or the spool is being replayed). */
  spooling: boolean;
}

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

  /** Metrics; stores without a spool report zeros for the spool gauges. */
  stats(): TelemetryStoreStats {
    return {
      written: 0,
      rejected: 0,
      dropped: 0,
      spooled: 0,
      replayed: 0,
      bufferedPoints: 0,
      spoolBytes: 0,
      spoolSegments: 0,
      spoolDepthPoints: 0,
      spoolOldestAgeMs: 0,
      spooling: false,
    };
  }
}
