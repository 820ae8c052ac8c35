import { hubApi, offsetClockEnv, startClusteredHubs, waitFor, type ClusteredHubs } from '@bedside/testing';
import { eventsTopic } from '@bedside/contracts';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Two clustered hubs, one of them with its wall clock 10 s behind the machine's (libfaketime):
 * a node whose NTP failed. That node must own no partition and must not be ready (HAProxy then
 * sends it no devices); the other owns them all. A device still connected to the skewed node
 * has its events stamped by that clock: the owner raises an SOS from it once, also when the
 * fast path is down and only its read of the database (by the database's clock) can find it.
 */
jest.setTimeout(120_000);

const OFFSET_MS = -10_000;

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
    // The database's clock minus the node's: minus the offset, give or take the round trip.
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

  const sosBed = async (label: string) => {
    const admin = hubApi(cluster.hub('hub-a'));
    const bed = await admin.provisionBed(label);
    expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
    return { bedId: bed.bed.id, creds: bed.devices.button.credentials as Creds };
  };
  const raisedSos = async (bedId: string) =>
    Number(
      (
        await cluster.sql<{ n: string }>(
          `select count(*) as n from alarm_events e join alarms a on a.id = e.alarm_id
            where a.bed_id = $1 and a.kind = 'sos' and e.type = 'alarm.raised'`,
          [bedId],
        )
      )[0].n,
    );
  /** Presses SOS through `node` and expects the alarm raised once. */
  const pressAndExpectOneSos = async (node: string, bed: { bedId: string; creds: Creds }, eventId: string) => {
    const client = await connectDevice(cluster.hub(node).mqttUrl, bed.creds);
    try {
      await client.publishAsync(
        eventsTopic(bed.creds.deviceId),
        JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }),
        { qos: 1 },
      );
      await waitFor(async () => (await raisedSos(bed.bedId)) === 1, { what: `${eventId} raised`, timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await raisedSos(bed.bedId)).toBe(1);
    } finally {
      await client.endAsync();
    }
  };

  it('an SOS a device still sends to the skewed node is raised once, by the owner', async () => {
    await pressAndExpectOneSos('hub-b', await sosBed('clock skew'), 'sos-skew');
  });

  it("with the fast path down, the owner still finds the skewed node's SOS in the database, by the database's clock", async () => {
    // An SOS through the owner first: whatever the owner has read is now newer than the skewed stamp.
    await pressAndExpectOneSos('hub-a', await sosBed('clock in sync'), 'sos-in-sync');
    await cluster.nats!.stop();
    await pressAndExpectOneSos('hub-b', await sosBed('clock skew, no fast path'), 'sos-skew-no-fast-path');
  });
});
