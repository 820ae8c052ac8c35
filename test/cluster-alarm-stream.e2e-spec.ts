import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startClusteredHubs, waitFor, type ClusteredHubs, type HubProcess } from '@bedside/testing';
import {
  openAlarmStream,
  type AlarmStreamClient,
  type ReceivedAlarmEvent,
} from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Two built hubs clustered on one PostgreSQL: a console on either hub sees every alarm event,
 * whichever hub raised it, in alarm_events id order, and a console that reconnects to the other
 * hub with Last-Event-ID gets exactly the events it missed, then the live ones.
 */
jest.setTimeout(180_000);

describe('alarm stream across cluster nodes', () => {
  let cluster: ClusteredHubs;
  let hubs: HubProcess[];
  const streams: AlarmStreamClient[] = [];
  const clients: MqttClient[] = [];
  /** One bed per SOS (a second SOS on an open alarm only counts a repeat); its button on hub `node`. */
  const buttons: { bedId: string; creds: Creds }[] = [];

  beforeAll(async () => {
    cluster = await startClusteredHubs({ nodes: ['hub-a', 'hub-b'], database: 'cluster_alarm_stream' });
    hubs = cluster.hubs;
    // Steady state before the presses: leases balanced and every gained partition recovered.
    // (Presses during a handover are the failover test's subject.)
    await cluster.waitForSteadyState();
    const admin = hubApi(hubs[0]);
    for (let i = 0; i < 12; i++) {
      const p = await admin.provisionBed(`cluster sos ${i}`);
      expect((await admin.put(`/api/beds/${p.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
      buttons.push({ bedId: p.bed.id, creds: p.devices.button.credentials as Creds });
    }
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await Promise.all(clients.map((c) => c.endAsync()));
    await cluster?.stop();
  });

  const open = async (hub: HubProcess, lastEventId?: number) => {
    const s = await openAlarmStream(hub.httpUrl, hub.authHeader, { lastEventId });
    expect(s.status).toBe(200);
    streams.push(s);
    return s;
  };
  /** Presses SOS on bed i's button, connected to `hub`; resolves at PUBACK (stored) with the press instant. */
  const sos = async (i: number, hub: HubProcess) => {
    const client = await connectDevice(hub.mqttUrl, buttons[i].creds);
    clients.push(client);
    const at = Date.now();
    await client.publishAsync(
      eventsTopic(buttons[i].creds.deviceId),
      JSON.stringify({ eventId: `sos-${i}`, type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    return at;
  };
  const raisedFor = (i: number) => (e: ReceivedAlarmEvent) =>
    e.type === 'alarm.raised' && e.data.alarm.bedId === buttons[i].bedId && e.data.alarm.kind === 'sos';
  const logIds = async (after: number) =>
    (await cluster.db.query<{ id: string }>('select id from alarm_events where id > $1 order by id', [after])).rows.map(
      (r) => Number(r.id),
    );
  const ids = (s: AlarmStreamClient) => s.events.map((e) => e.id);

  it('a console on hub B sees an SOS raised on hub A, and both consoles see every event in the same id order', async () => {
    for (const h of hubs) await waitFor(() => /following the shared alarm log/.test(h.logs()), { what: 'the tailer' });
    const onA = await open(hubs[0]);
    const onB = await open(hubs[1]);
    const start = (await logIds(0)).at(-1) ?? 0;

    const pressed = await sos(0, hubs[0]);
    const seen = await onB.waitFor(raisedFor(0), 10_000);
    const crossNodeMs = seen.receivedAt - pressed;
    expect(seen.data.alarm.severity).toBe('critical');

    // Both hubs raise at once: SOS on beds 1-6, alternating the hub their button reaches.
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => sos(i, hubs[i % 2])));
    for (const i of [1, 2, 3, 4, 5, 6]) for (const s of [onA, onB]) await s.waitFor(raisedFor(i), 10_000);
    const expected = await logIds(start);
    await waitFor(() => onA.events.length >= expected.length && onB.events.length >= expected.length, {
      what: 'every logged event on both consoles',
    });
    expect(ids(onA)).toEqual(expected);
    expect(ids(onB)).toEqual(expected);
    process.stdout.write(
      `cluster-alarm-stream: SOS on hub-a -> console on hub-b in ${crossNodeMs} ms; ${expected.length} events, same order on both\n`,
    );
  });

  it('a console that reconnects to the other hub with Last-Event-ID resumes with no gap and no duplicate', async () => {
    const onB = await open(hubs[1]);
    await sos(7, hubs[0]);
    await onB.waitFor(raisedFor(7), 10_000);
    const last = onB.lastEventId()!;
    onB.close();

    // Missed while disconnected: raised on both hubs.
    await sos(8, hubs[1]);
    await sos(9, hubs[0]);
    await waitFor(async () => (await logIds(last)).length >= 2, { what: 'the missed raises stored' });

    const resumed = await open(hubs[0], last);
    await resumed.waitFor(raisedFor(9), 10_000);
    // Live after the replay, from the other hub.
    await sos(10, hubs[1]);
    await resumed.waitFor(raisedFor(10), 10_000);
    const expected = await logIds(last);
    await waitFor(() => resumed.events.length >= expected.length, { what: 'the resumed stream to catch up' });
    expect(ids(resumed)).toEqual(expected);
    expect(new Set(ids(resumed)).size).toBe(resumed.events.length);
    expect(ids(resumed)[0]).toBeGreaterThan(last);
    for (const i of [8, 9, 10]) expect(resumed.events.filter(raisedFor(i))).toHaveLength(1);
  });

  it('a console cut off by a kill -9 of its hub resumes on the other hub with everything, including the dead hub’s last SOS', async () => {
    const onB = await open(hubs[1]);
    const onA = await open(hubs[0]);
    await sos(11, hubs[1]);
    await onB.waitFor(raisedFor(11), 10_000);
    // Stored and acknowledged on hub B, then B dies: the alarm is in the log, so A's console has it.
    await onA.waitFor(raisedFor(11), 10_000);
    const last = onB.lastEventId()!;
    await hubs[1].kill();
    const resumed = await open(hubs[0], last - 1);
    await resumed.waitFor(raisedFor(11), 10_000);
    const expected = await logIds(last - 1);
    await waitFor(() => resumed.events.length >= expected.length, { what: 'the resumed stream to catch up' });
    expect(ids(resumed)).toEqual(expected);
    expect(resumed.events.filter(raisedFor(11))).toHaveLength(1);
  });
});
