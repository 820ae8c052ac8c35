import { eventsTopic } from '@bedside/contracts';
import { hubApi, startClusteredHubs, waitFor, type ClusteredHubs, type HubProcess } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice } from './mqtt-helpers';

/**
 * Two built hubs clustered on one PostgreSQL, both sweeping for late work orders every 100 ms:
 * each late order is flagged once for the whole cluster (one timeline note, one
 * alarm.dispatch_overdue that consoles on either hub see), not once per node.
 */
jest.setTimeout(180_000);

const ORDERS = 10;

describe('late work orders in a cluster', () => {
  let cluster: ClusteredHubs;
  let hubs: HubProcess[];
  const streams: AlarmStreamClient[] = [];

  beforeAll(async () => {
    cluster = await startClusteredHubs({
      nodes: ['hub-a', 'hub-b'],
      database: 'cluster_dispatch_overdue',
      hubEnv: { DISPATCH_OVERDUE_SWEEP_MS: '100' },
    });
    hubs = cluster.hubs;
    await cluster.waitForEvenSplit(30_000);
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await cluster?.stop();
  });

  it('flags each late order once, seen live on both hubs', async () => {
    const admin = hubApi(hubs[0]);
    const bed = await admin.provisionBed('cluster late orders');
    const button = bed.devices.button.credentials;
    const client = await connectDevice(hubs[1].mqttUrl, button);
    await client.publishAsync(
      eventsTopic(button.deviceId),
      JSON.stringify({ eventId: 'sos-cluster-late', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    await client.endAsync();
    const alarm = await waitFor(
      async () =>
        (await admin.get(`/api/alarms?bedId=${bed.bed.id}`)).body.find((a: { kind: string }) => a.kind === 'sos'),
      { timeoutMs: 15_000, what: 'the SOS alarm' },
    );
    expect(
      (
        await admin.put(`/api/organisations/${bed.org.id}/dispatch-expectations`, {
          expectations: [{ responderType: 'keyholder', onSiteWithinS: 1, closeWithinS: null }],
        })
      ).status,
    ).toBe(200);
    for (const h of hubs) {
      const s = await openAlarmStream(h.httpUrl, h.authHeader);
      expect(s.status).toBe(200);
      streams.push(s);
    }

    // Sent from both hubs, so either could be the one to see them first.
    const ids: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const r = await hubApi(hubs[i % 2]).post(`/api/alarms/${alarm.id}/dispatches`, {
        responderType: 'keyholder',
        responderName: `neighbour ${i}`,
      });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    const overdue = (s: AlarmStreamClient) => s.events.filter((e) => e.type === 'alarm.dispatch_overdue');
    await waitFor(() => streams.every((s) => overdue(s).length >= ORDERS), {
      timeoutMs: 20_000,
      what: 'every late order on both streams',
    });
    // Many more sweeps of both nodes: nothing more.
    await new Promise((r) => setTimeout(r, 2000));
    for (const s of streams) expect(overdue(s)).toHaveLength(ORDERS);

    const timeline = (await admin.get(`/api/alarms/${alarm.id}`)).body.timeline as {
      code: string | null;
      params: { dispatchId?: string } | null;
    }[];
    const flagged = timeline.filter((t) => t.code === 'dispatch_overdue').map((t) => t.params?.dispatchId);
    expect([...flagged].sort()).toEqual([...ids].sort());
    const listed = (await hubApi(hubs[1]).get(`/api/dispatches?organisationId=${bed.org.id}&overdue=true`)).body as {
      id: string;
      overdueAt: string | null;
    }[];
    expect(listed.map((d) => d.id).sort()).toEqual([...ids].sort());
    expect(listed.every((d) => d.overdueAt !== null)).toBe(true);
    // Both nodes did sweep (each logs the orders it flagged, or it found none to claim).
    const flaggedBy = hubs.map((h) =>
      [...h.logs().matchAll(/"msg":"work orders overdue"[^\n]*?"count":(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
    );
    expect(flaggedBy[0] + flaggedBy[1]).toBe(ORDERS);
  });
});
