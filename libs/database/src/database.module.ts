import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EnvDto } from '@bedside/config';
import { createKysely, migrateToLatest } from './create-kysely';
import { Database } from './database';
import { DatabaseHealth } from './database-health';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [EnvDto],
      useFactory: async (env: EnvDto) => {
        const log = new Logger('Database');
        const { db, engine } = createKysely({
          url: env.DATABASE_URL,
          dataDir: env.DATA_DIR,
          poolIdleMs: env.DATABASE_POOL_IDLE_MS,
          // Clustered: a frozen node's open transaction would hold its partition's lease row
          // (and the fence's row lock) past the lease; half the TTL ends it in time.
          idleInTransactionMs: env.CLUSTER_NODE_ID ? env.CLUSTER_LEASE_TTL_MS / 2 : undefined,
          onConnectionError: (err) => log.warn(`database connection lost: ${err.message}`),
        });
        const applied = await migrateToLatest(db);
        log.log(`using ${engine}; migrations applied: ${applied.length ? applied.join(', ') : 'none pending'}`);
        return new Database(db, engine);
      },
    },
    DatabaseHealth,
  ],
  exports: [Database, DatabaseHealth],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
