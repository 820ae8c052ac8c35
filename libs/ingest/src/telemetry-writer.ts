import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { TelemetryStore, type TelemetryPoint } from '@bedside/telemetry';

/** Group-commits telemetry from many devices into one TelemetryStore write. */
@Injectable()
export class TelemetryWriter {
  private readonly commit: GroupCommit<TelemetryPoint[]>;

  constructor(private readonly store: TelemetryStore, env: EnvDto) {
    this.commit = new GroupCommit((batches) => this.store.write(batches.flat()), { delayMs: env.TELEMETRY_COMMIT_DELAY_MS, maxBatch: env.INGEST_COMMIT_MAX_BATCH });
  }

  /** Resolves when the points are durable. */
  write(points: TelemetryPoint[]): Promise<void> {
    return this.commit.submit(points);
  }

  drain(): Promise<void> {
    return this.commit.drain();
  }
}
