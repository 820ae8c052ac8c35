import { Logger, type LoggerService } from '@nestjs/common';
import type { EnvDto } from '@bedside/config';
import type { Database } from '@bedside/database';
import { InfluxTelemetryStore, influxSpoolDir } from './influx/influx-telemetry.store';
import { SqlTelemetryStore } from './sql-telemetry.store';
import { MinuteRollupRepository } from './rollups/minute-rollup.repository';
import { MinuteRollupWriter } from './rollups/minute-rollup.writer';
import { RolledUpTelemetryStore } from './rollups/rolled-up-telemetry.store';
import type { TelemetryStore } from './telemetry.store';

/**
 * InfluxDB (v1 HTTP API) when INFLUX_URL is set, with its spool in DATA_DIR/spool; otherwise
 * the `telemetry_samples` table of the hub's SQL database. Either way every write is also folded
 * into per-minute rollups in the SQL database (`telemetry_minutes`), which nightly summaries read.
 */
export function createTelemetryStore(
  env: EnvDto,
  database: Database,
  logger: LoggerService = new Logger('Telemetry'),
): RolledUpTelemetryStore {
  const rollups = new MinuteRollupWriter(new MinuteRollupRepository(database), {
    delayMs: env.TELEMETRY_COMMIT_DELAY_MS,
    maxBatch: env.INGEST_COMMIT_MAX_BATCH,
  });
  return new RolledUpTelemetryStore(createRawStore(env, database, logger), rollups);
}

function createRawStore(
  env: EnvDto,
  database: Database,
  logger: LoggerService = new Logger('Telemetry'),
): TelemetryStore {
  if (env.INFLUX_URL) {
    const spoolDir = influxSpoolDir(env.DATA_DIR);
    const store = new InfluxTelemetryStore({
      url: env.INFLUX_URL,
      database: env.INFLUX_DATABASE,
      retentionPolicy: env.INFLUX_RETENTION_POLICY || undefined,
      token: env.INFLUX_TOKEN,
      username: env.INFLUX_USERNAME,
      password: env.INFLUX_PASSWORD,
      batchSize: env.INFLUX_BATCH_SIZE,
      flushMs: env.INFLUX_FLUSH_MS,
      spoolDir,
      spoolMaxBytes: env.INFLUX_SPOOL_MAX_BYTES,
      logger,
    });
    logger.log(
      `telemetry: InfluxDB at ${env.INFLUX_URL} (database ${env.INFLUX_DATABASE}${env.INFLUX_RETENTION_POLICY ? `, rp ${env.INFLUX_RETENTION_POLICY}` : ''}), spool ${spoolDir}`,
    );
    return store;
  }
  logger.log(`telemetry: SQL table telemetry_samples (${database.engine})`);
  return new SqlTelemetryStore(database, {
    delayMs: env.TELEMETRY_COMMIT_DELAY_MS,
    maxBatch: env.INGEST_COMMIT_MAX_BATCH,
  });
}
