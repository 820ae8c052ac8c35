import type { AggregateQuery, AggregateRow, TelemetryPoint, TelemetryQuery } from '../telemetry-point';
import { TelemetryStore, type TelemetryStoreStats } from '../telemetry.store';
import type { MinuteRollupWriter } from './minute-rollup.writer';

/**
 * A telemetry store (SQL or InfluxDB) whose writes also fold into per-minute rollups in the SQL
 * database. A write resolves once both are stored, so a sample acknowledged to its device is in
 * its minute's rollup too; one that is not acknowledged is sent again and folded once.
 */
export class RolledUpTelemetryStore extends TelemetryStore {
  constructor(
    /** Where the samples themselves are stored. */
    readonly inner: TelemetryStore,
    private readonly rollups: MinuteRollupWriter,
  ) {
    super();
  }

  get name(): string {
    return this.inner.name;
  }

  async write(points: TelemetryPoint[]): Promise<void> {
    await Promise.all([this.inner.write(points), this.rollups.write(points)]);
  }

  query(q: TelemetryQuery): Promise<TelemetryPoint[]> {
    return this.inner.query(q);
  }

  aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    return this.inner.aggregate(q);
  }

  async flush(): Promise<void> {
    await Promise.all([this.inner.flush(), this.rollups.flush()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.inner.close(), this.rollups.flush()]);
  }

  override stats(): TelemetryStoreStats {
    return this.inner.stats();
  }
}
