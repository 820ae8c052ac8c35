import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, EnvDto } from '@bedside/config';
import { Database } from '@bedside/database';
import { ObservabilityModule } from '@bedside/observability';
import { InfluxTelemetryStore } from './influx/influx-telemetry.store';
import { RolledUpTelemetryStore } from './rollups/rolled-up-telemetry.store';
import { SqlTelemetryStore } from './sql-telemetry.store';
import { createTelemetryStore } from './telemetry.factory';
import { TelemetryModule } from './telemetry.module';
import { TelemetryStore } from './telemetry.store';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const fakeDb = { engine: 'pglite' } as unknown as Database;

@Global()
@Module({ providers: [{ provide: Database, useValue: fakeDb }], exports: [Database] })
class FakeDatabaseModule {}

describe('createTelemetryStore / TelemetryModule', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'bedside-telemetry-factory-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const env = (extra: Partial<EnvDto> = {}) => Object.assign(new EnvDto(), { DATA_DIR: dataDir }, extra);

  it('uses SQL without INFLUX_URL and InfluxDB with it, rolled up by minute either way', async () => {
    const sql = createTelemetryStore(env(), fakeDb, quiet);
    expect(sql).toBeInstanceOf(RolledUpTelemetryStore);
    expect(sql.inner).toBeInstanceOf(SqlTelemetryStore);
    expect(sql.name).toBe('sql');
    const influx = createTelemetryStore(env({ INFLUX_URL: 'http://127.0.0.1:9' }), fakeDb, quiet);
    expect(influx.inner).toBeInstanceOf(InfluxTelemetryStore);
    expect(influx.stats().spoolDepthPoints).toBe(0);
    await influx.close();
  });

  it('provides TelemetryStore and closes it at shutdown', async () => {
    const mod = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(env()), ObservabilityModule, FakeDatabaseModule, TelemetryModule],
    })
      .setLogger(quiet)
      .compile();
    const app = mod.createNestApplication({ logger: false });
    await app.init();
    const store = app.get(TelemetryStore);
    expect((store as RolledUpTelemetryStore).inner).toBeInstanceOf(SqlTelemetryStore);
    const close = jest.spyOn(store, 'close');
    await app.close();
    expect(close).toHaveBeenCalled();
  });
});
