import { Inject, Injectable, Module, Optional } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EnvDto } from '@bedside/config';
import { Metrics, ObservabilityModule } from '@bedside/observability';
import { startNats, waitFor, type NatsServer } from '@bedside/testing';
import { ClusterBus } from './bus/cluster-bus';
import { ClusterBusModule } from './cluster-bus.module';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Stands for the rules runner: another module that does not import ClusterBusModule. */
@Injectable()
class Consumer {
  constructor(@Optional() @Inject(ClusterBus) readonly bus?: ClusterBus) {}
}
@Module({ providers: [Consumer] })
class ConsumerModule {}

describe('ClusterBusModule', () => {
  let nats: NatsServer;
  beforeAll(async () => (nats = await startNats()));
  afterAll(() => nats.stop());

  const boot = async (env: Partial<EnvDto>) => {
    const mod = await Test.createTestingModule({
      imports: [ObservabilityModule, ClusterBusModule.forRoot(Object.assign(new EnvDto(), env)), ConsumerModule],
    })
      .setLogger(quiet)
      .compile();
    await mod.init();
    return mod;
  };

  it('provides no bus without CLUSTER_NODE_ID or without NATS_URL', async () => {
    for (const env of [{ NATS_URL: nats.url }, { CLUSTER_NODE_ID: 'hub-1' }]) {
      const mod = await boot(env);
      expect(mod.get(Consumer).bus).toBeUndefined();
      await mod.close();
    }
  });

  it('in clustered mode with NATS_URL: one global bus, connected after bootstrap, its metrics exported, drained at shutdown', async () => {
    const mod = await boot({ CLUSTER_NODE_ID: 'hub-1', NATS_URL: nats.url, NATS_SUBJECT_PREFIX: 'bedside.north' });
    const bus = mod.get(Consumer).bus;
    expect(bus).toBeInstanceOf(ClusterBus);
    expect(bus?.subjects.node('hub-2', 'msg')).toBe('bedside.north.node.hub-2.msg');
    await waitFor(() => bus?.connected, { what: 'the bus to connect' });
    expect(bus?.publishToNode('hub-2', { kind: 'hello' })).toBe(true);

    const metrics = await mod.get(Metrics).registry.metrics();
    expect(metrics).toMatch(/^bedside_cluster_bus_connected 1$/m);
    expect(metrics).toMatch(/^bedside_cluster_bus_published_total\{target="node"\} 1$/m);

    await mod.close();
    expect(bus?.connected).toBe(false);
  });
});
