import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, ClockModule } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { Metrics } from '@bedside/observability';
import { ClusterBus } from './bus/cluster-bus';
import { ClusterBusMetrics } from './bus/cluster-bus.metrics';
import { DatabasePeers } from './database-peers.service';

/** Connects the bus when the hub has started and drains it when the hub stops. */
@Injectable()
class ClusterBusLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ClusterBus) private readonly bus: ClusterBus) {}

  onApplicationBootstrap(): void {
    this.bus.start();
  }

  /** After every beforeApplicationShutdown hook, so what they publish still goes out. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

/**
 * The NATS cluster bus, global, in clustered mode with NATS_URL set. Otherwise the module
 * provides nothing: inject it as `@Optional() @Inject(ClusterBus) bus?: ClusterBus` and fall
 * back (read PostgreSQL) when it is absent. Present does not mean connected: the bus connects
 * in the background and drops or refuses while it is not (`bus.connected`).
 */
@Module({})
export class ClusterBusModule {
  static forRoot(env: EnvDto): DynamicModule {
    if (!env.CLUSTER_NODE_ID || !env.NATS_URL) return { module: ClusterBusModule };
    const nodeId = env.CLUSTER_NODE_ID;
    const url = env.NATS_URL;
    return {
      module: ClusterBusModule,
      global: true,
      imports: [ClockModule],
      providers: [
        {
          provide: ClusterBus,
          inject: [Clock, Metrics],
          useFactory: (clock: Clock, metrics: Metrics) =>
            new ClusterBus(
              { url, nodeId, subjectPrefix: env.NATS_SUBJECT_PREFIX },
              clock,
              new ClusterBusMetrics(metrics),
              new Logger('ClusterBus'),
            ),
        },
        ClusterBusLifecycle,
        DatabasePeers,
      ],
      exports: [ClusterBus, DatabasePeers],
    };
  }
}
