import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '@bedside/observability';
import { registerTelemetryMetrics } from './telemetry.metrics';
import { EnvDto } from '@bedside/config';
import { Database } from '@bedside/database';
import { createTelemetryStore } from './telemetry.factory';
import { TelemetryStore } from './telemetry.store';

/**
 * Provides the TelemetryStore chosen by config (its vitals REST endpoint is registered by
 * IngestModule, next to the registry access it checks). Needs EnvDto
 * (ConfigModule) and Database (DatabaseModule). The store is flushed and closed in the last
 * shutdown phase, after the broker stopped (phase 1) and ingest wrote what it accepted (phase 2).
 */
@Global()
@Module({
  providers: [
    {
      provide: TelemetryStore,
      inject: [EnvDto, Database],
      useFactory: (env: EnvDto, database: Database) => createTelemetryStore(env, database, new Logger('Telemetry')),
    },
  ],
  exports: [TelemetryStore],
})
export class TelemetryModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(TelemetryStore) private readonly store: TelemetryStore,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    registerTelemetryMetrics(this.metrics, this.store);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
