import type { MqttClient } from 'mqtt';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { toLocal } from '@bedside/rules';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import {
  openAlarmStream,
  type AlarmStreamClient,
  type ReceivedAlarmEvent,
} from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Durability: kill -9 with a pending absence timer and an open unacknowledged alarm. After restart
 * the timer fires on time, the alarm is still open and escalates, and nothing is duplicated; the
 * SSE stream resumes from Last-Event-ID with every missed event once, in order.
 */
type Provisioned = Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;

const ABSENCE_MS = 8000;
const ESCALATE_MS = 4000;
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
const clients: MqttClient[] = [];
const streams: AlarmStreamClient[] = [];

const hhmm = (ms: number) => {
  const l = toLocal(ms, 'Asia/Shanghai');
  return `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const raised = (bedId: string, kind: string) => (e: ReceivedAlarmEvent) =>
  e.type === 'alarm.raised' && e.data.alarm.bedId === bedId && e.data.alarm.kind === kind;

async function connect(p: Provisioned, kind: 'mattress' | 'button'): Promise<{ client: MqttClient; id: string }> {
  const creds = p.devices[kind].credentials as Creds;
  const client = await connectDevice(hub.mqttUrl, creds);
  client.on('error', () => undefined);
  clients.push(client);
  return { client, id: creds.deviceId };
}

async function stream(lastEventId?: number, query = false): Promise<AlarmStreamClient> {
  const s = await openAlarmStream(hub.httpUrl, hub.authHeader, { lastEventId, query });
  streams.push(s);
  return s;
}

beforeAll(async () => {
  hub = await startHub({ ALARM_ESCALATE_AFTER_MS: String(ESCALATE_MS) });
  api = hubApi(hub);
}, 60_000);

afterAll(async () => {
  streams.forEach((s) => s.close());
  clients.forEach((c) => c.end(true));
  await hub?.dispose();
});

describe('kill -9 of the hub', () => {
  it('keeps the pending absence timer and the open alarm; escalates after restart; duplicates nothing', async () => {
    const absent = await api.provisionBed('absent');
    expect(
      (
        await api.put(`/api/beds/${absent.bed.id}/rules`, {
          suppression: { warmupMs: 0 },
          bedExit: {
            returnWithinMs: ABSENCE_MS,
            nightWindow: { start: hhmm(Date.now() - 3600_000), end: hhmm(Date.now() + 3600_000) },
          },
        })
      ).status,
    ).toBe(200);
    const sos = await api.provisionBed('sos');

    const before = await stream();
    const mattress = await connect(absent, 'mattress');
    await mattress.client.publishAsync(
      telemetryTopic(mattress.id),
      JSON.stringify({
        ts: Date.now(),
        seq: 1,
        samples: [{ inBed: true, heartRate: 62, respirationRate: 14, signalQuality: 90 }],
      }),
      { qos: 1 },
    );
    const exitAt = Date.now();
    await mattress.client.publishAsync(
      telemetryTopic(mattress.id),
      JSON.stringify({ ts: Date.now(), seq: 2, samples: [{ inBed: false }] }),
      { qos: 1 },
    );
    const button = await connect(sos, 'button');
    await button.client.publishAsync(
      eventsTopic(button.id),
      JSON.stringify({ eventId: 'press-1', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    const sosRaised = await before.waitFor(raised(sos.bed.id, 'sos'), 5000);
    const lastSeen = before.lastEventId()!;
    expect(before.events.some((e) => e.type === 'alarm.escalated')).toBe(false);

    await hub.kill();
    before.close();
    await hub.restart();
    // Ready once boot recovery has replayed what the kill interrupted.
    const ready = await waitFor(
      async () => {
        const r = await fetch(`${hub.httpUrl}/health/ready`);
        return r.status === 200 ? ((await r.json()) as { checks: { rules: { recovery: string } } }) : null;
      },
      { what: 'readiness after restart', timeoutMs: 20_000 },
    );
    expect(ready.checks.rules.recovery).toBe('done');

    const after = await stream(lastSeen);
    const exitAlarm = await after.waitFor(raised(absent.bed.id, 'bed_exit'), ABSENCE_MS + 10_000);
    // On time: the raise instant is the deadline, and it reached the stream within 1 s of it (or of boot, if boot was slower).
    const raisedAt = Date.parse(String(exitAlarm.data.alarm.raisedAt));
    expect(raisedAt - exitAt).toBeGreaterThanOrEqual(ABSENCE_MS - 100);
    expect(raisedAt - exitAt).toBeLessThanOrEqual(ABSENCE_MS + 1000);
    expect(exitAlarm.receivedAt - exitAt).toBeLessThanOrEqual(ABSENCE_MS + 1000);

    const escalated = await after.waitFor(
      (e) => e.type === 'alarm.escalated' && e.data.alarm.id === sosRaised.data.alarm.id,
      ESCALATE_MS + 5000,
    );
    expect(escalated.data.alarm).toEqual(expect.objectContaining({ state: 'raised', escalationLevel: 1 }));
    // And it keeps escalating until acknowledged.
    await after.waitFor(
      (e) =>
        e.type === 'alarm.escalated' &&
        e.data.alarm.id === sosRaised.data.alarm.id &&
        e.data.alarm.escalationLevel === 2,
      ESCALATE_MS + 3000,
    );
    const ack = await api.post(`/api/alarms/${sosRaised.data.alarm.id}/acknowledge`, {});
    expect(ack.status).toBe(200);
    await sleep(ESCALATE_MS + 500);
    expect(after.events.filter((e) => e.type === 'alarm.escalated' && e.data.alarm.escalationLevel > 2)).toEqual([]);

    const sosAlarms = (await api.get(`/api/alarms?bedId=${sos.bed.id}`)).body;
    expect(sosAlarms).toHaveLength(1);
    expect(sosAlarms[0]).toEqual(
      expect.objectContaining({ id: sosRaised.data.alarm.id, state: 'acknowledged', escalationLevel: 2 }),
    );
    const exitAlarms = (await api.get(`/api/alarms?bedId=${absent.bed.id}&kind=bed_exit`)).body;
    expect(exitAlarms).toHaveLength(1);
    const timeline = (await api.get(`/api/alarms/${sosRaised.data.alarm.id}`)).body.timeline.map((t: any) => t.action);
    expect(timeline).toEqual(['raise', 'escalate', 'escalate', 'acknowledge']);

    // The resumed stream holds each event once, in order, none from before the cut.
    const ids = after.events.map((e) => e.id);
    expect(ids[0]).toBeGreaterThan(lastSeen);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(after.events.filter(raised(sos.bed.id, 'sos'))).toEqual([]);
  }, 60_000);
});

describe('SSE resume', () => {
  it('replays every missed event once, in order, then continues live (header and query forms)', async () => {
    const p = await api.provisionBed('resume');
    const watcher = await stream(); // stays connected: the reference of what was sent
    const button = await connect(p, 'button');
    const press = (id: string) =>
      button.client.publishAsync(
        eventsTopic(button.id),
        JSON.stringify({ eventId: id, type: 'button.pressed', ts: Date.now() }),
        { qos: 1 },
      );

    const client = await stream();
    await press('r-1');
    const first = await client.waitFor(raised(p.bed.id, 'sos'));
    client.close();
    const cut = first.id;

    // Missed while disconnected: a repeat press, an acknowledgement and a resolution, then a new alarm.
    await press('r-2');
    await watcher.waitFor((e) => e.type === 'alarm.updated' && e.data.alarm.id === first.data.alarm.id);
    expect((await api.post(`/api/alarms/${first.data.alarm.id}/acknowledge`, {})).status).toBe(200);
    expect((await api.post(`/api/alarms/${first.data.alarm.id}/resolve`, { outcome: 'false_alarm' })).status).toBe(200);
    await press('r-3');
    const second = await watcher.waitFor((e) => raised(p.bed.id, 'sos')(e) && e.data.alarm.id !== first.data.alarm.id);

    const resumed = await stream(cut);
    const byQuery = await stream(cut, true);
    await resumed.waitFor((e) => e.id === second.id);
    await byQuery.waitFor((e) => e.id === second.id);
    const expected = watcher.events.filter((e) => e.id > cut && e.id <= second.id).map((e) => [e.id, e.type]);
    expect(expected.map(([, t]) => t)).toEqual([
      'alarm.updated',
      'alarm.acknowledged',
      'alarm.resolved',
      'alarm.raised',
    ]);
    expect(resumed.events.map((e) => [e.id, e.type])).toEqual(expected);
    expect(byQuery.events.map((e) => [e.id, e.type])).toEqual(expected);

    // Then live, with no gap and no duplicate at the seam.
    expect((await api.post(`/api/alarms/${second.data.alarm.id}/acknowledge`, {})).status).toBe(200);
    const live = await resumed.waitFor(
      (e) => e.type === 'alarm.acknowledged' && e.data.alarm.id === second.data.alarm.id,
    );
    expect(live.id).toBe(
      watcher.events.find((e) => e.type === 'alarm.acknowledged' && e.data.alarm.id === second.data.alarm.id)?.id,
    );
    const ids = resumed.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);

    expect(
      (
        await fetch(`${hub.httpUrl}/api/alarms/stream`, {
          headers: { authorization: hub.authHeader, 'last-event-id': 'abc' },
        })
      ).status,
    ).toBe(400);
  }, 30_000);
});
