import { testDatabaseEngines } from '@bedside/testing';
import { SqlTelemetryStore } from '../src/sql-telemetry.store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

for (const engine of testDatabaseEngines('telemetry')) {
  describeTelemetryStoreContract(
    `SQL on ${engine.name}`,
    async () => {
      const store = new SqlTelemetryStore(await engine.open());
      return {
        store,
        async teardown() {
          await store.close();
          await engine.close();
        },
      };
    },
    { timeoutMs: 60_000 },
  );
}
