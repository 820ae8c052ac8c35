import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock, ClockModule } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { Database, DatabaseHealth } from '@bedside/database';
import { LeaseManager } from './lease-manager';
import { LeaseMetrics } from './lease.metrics';
import { LeaseRepository } from './lease.repository';
import { NodeLivenessLock } from './node-lock.repository';

/** Starts the node's lease manager with the hub and drains it on shutdown. */
@Injectable()
class ClusterLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Cluster');
  constructor(@Inject(LeaseManager) private readonly leases: LeaseManager) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.leases.start();
  }

  /** After the listeners closed and ingest drained, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.leases.drain();
    } catch (err) {
      // The database may be gone: ending the liveness session below still lets the others
      // take the partitions at their next tick.
      this.log.warn({ msg: 'lease drain failed', err: (err as Error).message });
    }
    await this.leases.stop();
  }
}

/**
 * Clustered mode (CLUSTER_NODE_ID set): the node takes its share of the partition leases and
 * hands them over when it stops. Without CLUSTER_NODE_ID this module provides nothing.
 */
@Module({})
export class ClusterModule {
  static forRoot(env: EnvDto): DynamicModule {
    if (!env.CLUSTER_NODE_ID || !env.DATABASE_URL) return { module: ClusterModule };
    const nodeId = env.CLUSTER_NODE_ID;
    const url = env.DATABASE_URL;
    return {
      module: ClusterModule,
      // The rules runtime asks for the lease manager where it exists.
      global: true,
      imports: [ClockModule],
      providers: [
        {
          provide: LeaseManager,
          inject: [Database, DatabaseHealth, Clock],
          useFactory: (database: Database, health: DatabaseHealth, clock: Clock) => {
            const log = new Logger('Cluster');
            return new LeaseManager(
              new LeaseRepository(database),
              new NodeLivenessLock(url, (err) => {
                if (!health.unavailable('cluster liveness', err))
                  log.warn({ msg: 'liveness session lost', err: err.message });
              }),
              clock,
              {
                nodeId,
                partitions: env.CLUSTER_PARTITIONS,
                ttlMs: env.CLUSTER_LEASE_TTL_MS,
                maxClockSkewMs: env.CLUSTER_MAX_CLOCK_SKEW_MS,
              },
              {
                info: (msg, fields) => log.log({ msg, ...fields }),
                warn: (msg, fields) => log.warn({ msg, ...fields }),
                databaseUnavailable: (err) => health.unavailable('cluster leases', err),
                databaseAnswered: () => health.answered(),
              },
            );
          },
        },
        ClusterLifecycle,
        LeaseMetrics,
      ],
      exports: [LeaseManager],
    };
  }
}
