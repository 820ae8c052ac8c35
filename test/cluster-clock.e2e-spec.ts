import { hubApi, offsetClockEnv, startClusteredHubs, waitFor, type ClusteredHubs } from '@bedside/testing';
import { eventsTopic } from '@bedside/contracts';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Two clustered hubs, one of them with its wall clock 10 s ahead of the machine's (libfaketime):
 * a node whose NTP failed. Owners read each other's event stamps with a 5 s margin, so that
 * node must own no partition and must not be ready (HAProxy then sends it no devices); the
 * other owns them all, and an SOS a device still sends to the skewed node is raised once.
 */
jest.setTimeout(120_000);

const OFFSET_MS = 10_000;

describe('a clustered node whose clock is off', () => {
  let cluster: ClusteredHubs;

  beforeAll(async () => {
    cluster = await startClusteredHubs({
      nodes: ['hub-a', 'hub-b'],
      database: 'cluster_clock',
      nodeEnv: { 'hub-b': offsetClockEnv(OFFSET_MS) },
      owners: 1,
    });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const readiness = async (node: string) => {
    const res = await fetch(`${cluster.hub(node).httpUrl}/health/ready`);
    const body = (await res.json()) as {
      checks: { cluster: { clockSkewMs: number; clockInSync: boolean; partitionsHeld: number } };
    };
    return { status: res.status, ...body.checks.cluster };
  };

  it('owns no partition, reports not ready with its skew, and the other node owns them all', async () => {
    await waitFor(async () => (await cluster.owners())['hub-a'] === 64, { what: 'hub-a owning every partition' });
    // A few more ticks: the skewed node must still not have claimed anything.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await cluster.owners()).toEqual({ 'hub-a': 64 });

    const b = await readiness('hub-b');
    expect(b.status).toBe(503);
    expect(b.clockInSync).toBe(false);
    expect(b.partitionsHeld).toBe(0);
    // The database's clock minus the node's: about minus the offset, give or take the round trip.
    expect(Math.abs(b.clockSkewMs + OFFSET_MS)).toBeLessThan(1000);
    expect(cluster.hub('hub-b').logs()).toMatch(/clock too far from the database/);

    const a = await readiness('hub-a');
    expect(a.status).toBe(200);
    expect(a.clockInSync).toBe(true);
    expect(Math.abs(a.clockSkewMs)).toBeLessThan(1000);

    const metrics = await (await fetch(`${cluster.hub('hub-b').httpUrl}/metrics`)).text();
    const skew = Number(/^bedside_cluster_clock_skew_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(skew).toBeCloseTo(-OFFSET_MS / 1000, 0);
  });

  it('an SOS a device still sends to the skewed node is raised once, by the owner', async () => {
    const admin = hubApi(cluster.hub('hub-a'));
    const bed = await admin.provisionBed('clock skew');
    expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
    const creds = bed.devices.button.credentials as Creds;
    const client = await connectDevice(cluster.hub('hub-b').mqttUrl, creds);
    try {
      await client.publishAsync(
        eventsTopic(creds.deviceId),
        JSON.stringify({ eventId: 'sos-skew', type: 'button.pressed', ts: Date.now() }),
        { qos: 1 },
      );
      const raised = () =>
        cluster.sql<{ n: string }>(
          `select count(*) as n from alarm_events e join alarms a on a.id = e.alarm_id
            where a.bed_id = $1 and a.kind = 'sos' and e.type = 'alarm.raised'`,
          [bed.bed.id],
        );
      await waitFor(async () => Number((await raised())[0].n) === 1, { what: 'the SOS raised', timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(Number((await raised())[0].n)).toBe(1);
    } finally {
      await client.endAsync();
    }
  });
});
