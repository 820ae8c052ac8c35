import type { MqttClient } from 'mqtt';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { toLocal } from '@bedside/rules';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import {
  openAlarmStream,
  type AlarmStreamClient,
  type ReceivedAlarmEvent,
} from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, listenDownlinks, type Creds } from './mqtt-helpers';

/**
 * Every alarm scenario over real MQTT against the built hub: the right alarm, with the right
 * severity, once on the SSE stream, within the rule's (shortened) hold time + 1 s. Rules are data,
 * so each bed gets short holds through PUT /api/beds/:id/rules.
 */
type Provisioned = Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;

let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let stream: AlarmStreamClient;
const clients: MqttClient[] = [];
const scenarioBeds = new Map<string, { kind: string; severity: string }>();

const HOLD = 2000;
const SLACK = 1000;
const hhmm = (ms: number, tz: string) => {
  const l = toLocal(ms, tz);
  return `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
};
const fastRules = (extra: Record<string, unknown> = {}) => ({
  suppression: { warmupMs: 0 },
  // Holds of a second or two: no settling window, jumps count at once, a Last Will counts at once.
  artefacts: { settleAfterInBedMs: 0, jumpConfirmMs: 0 },
  deviceOffline: { graceMs: 0, clearAfterMs: 0 },
  fall: { cancelWindowMs: HOLD },
  // A night window around "now" in the household's zone, whatever the time of day the suite runs.
  bedExit: {
    returnWithinMs: HOLD,
    nightWindow: {
      start: hhmm(Date.now() - 3600_000, 'Asia/Shanghai'),
      end: hhmm(Date.now() + 3600_000, 'Asia/Shanghai'),
    },
  },
  heartRate: { major: { forMs: HOLD }, critical: { forMs: HOLD / 2 } },
  respiration: { major: { forMs: HOLD } },
  apnea: { critical: { forMs: HOLD } },
  spo2: { major: { forMs: HOLD }, minSamples: 1 },
  ...extra,
});

async function bedWithRules(label: string, extra: Record<string, unknown> = {}): Promise<Provisioned> {
  const p = await api.provisionBed(label);
  const put = await api.put(`/api/beds/${p.bed.id}/rules`, fastRules(extra));
  expect(put.status).toBe(200);
  return p;
}

async function device(
  p: Provisioned,
  kind: 'mattress' | 'button' | 'wearable',
): Promise<{ client: MqttClient; creds: Creds; seq: () => number }> {
  const creds = p.devices[kind].credentials as Creds;
  const client = await connectDevice(hub.mqttUrl, creds);
  clients.push(client);
  let n = 0;
  return { client, creds, seq: () => ++n };
}

const telemetry = (d: Awaited<ReturnType<typeof device>>, sample: Record<string, unknown>) =>
  d.client.publishAsync(
    telemetryTopic(d.creds.deviceId),
    JSON.stringify({ ts: Date.now(), seq: d.seq(), samples: [sample] }),
    { qos: 1 },
  );
/**
 * Sends the reading every 250 ms, each sample with its own ts, until the returned stop is called: holds
 * are judged on what samples show, so a single sample followed by silence raises nothing.
 */
function streamReading(d: Awaited<ReturnType<typeof device>>, sample: Record<string, unknown>): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      await telemetry(d, sample);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return () => void (stopped = true);
}

async function expectStreamedAlarm(
  d: Awaited<ReturnType<typeof device>>,
  sample: Record<string, unknown>,
  p: Provisioned,
  kind: string,
  severity: string,
  holdMs: number,
) {
  const t0 = Date.now();
  const stop = streamReading(d, sample);
  try {
    return await expectAlarm(p, kind, severity, t0, holdMs);
  } finally {
    stop();
  }
}

const event = (d: Awaited<ReturnType<typeof device>>, type: string, eventId: string) =>
  d.client.publishAsync(eventsTopic(d.creds.deviceId), JSON.stringify({ eventId, type, ts: Date.now() }), { qos: 1 });

const raisedFor = (bedId: string, kind?: string) => (e: ReceivedAlarmEvent) =>
  e.type === 'alarm.raised' && e.data.alarm.bedId === bedId && (!kind || e.data.alarm.kind === kind);

/** Waits for the alarm and checks severity and delay from the condition's onset. */
async function expectAlarm(
  p: Provisioned,
  kind: string,
  severity: string,
  onset: number,
  holdMs: number,
): Promise<ReceivedAlarmEvent> {
  scenarioBeds.set(p.bed.id, { kind, severity });
  const e = await stream.waitFor(raisedFor(p.bed.id, kind), holdMs + SLACK + 3000);
  expect(e.data.alarm.severity).toBe(severity);
  expect(e.receivedAt - onset).toBeLessThanOrEqual(holdMs + SLACK);
  return e;
}

const normalMattress = { inBed: true, heartRate: 64, respirationRate: 14, movement: 2, signalQuality: 90 };

beforeAll(async () => {
  hub = await startHub();
  api = hubApi(hub);
  stream = await openAlarmStream(hub.httpUrl, hub.authHeader);
  expect(stream.status).toBe(200);
  expect(stream.contentType).toContain('text/event-stream');
}, 60_000);

afterAll(async () => {
  stream?.close();
  await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
  await hub?.dispose();
});

describe('alarm scenarios over MQTT', () => {
  it('SOS: critical at once, and the button gets an ack with the alarm id', async () => {
    const p = await bedWithRules('sos');
    const btn = await device(p, 'button');
    const down = await listenDownlinks(btn.client, btn.creds.deviceId);
    const t0 = Date.now();
    await event(btn, 'button.pressed', 'sos-1');
    const e = await expectAlarm(p, 'sos', 'critical', t0, 0);
    const ack = await waitFor(() => down.acks.find((a) => a.eventId === 'sos-1' && a.status === 'alarm'), {
      what: 'alarm ack',
    });
    expect(ack.alarmId).toBe(e.data.alarm.id);
    expect(down.acks.find((a) => a.eventId === 'sos-1' && a.status === 'stored')).toBeDefined();
    // The call centre's clock is exported: press received -> alarm on the live stream.
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    const count = metrics
      .split('\n')
      .find((l) => l.startsWith('bedside_alarm_event_to_stream_seconds_count{kind="sos"}'));
    expect(Number(count?.split(' ')[1])).toBeGreaterThanOrEqual(1);
  });

  it('fall not cancelled: critical after the cancel window', async () => {
    const p = await bedWithRules('fall');
    const w = await device(p, 'wearable');
    const t0 = Date.now();
    await event(w, 'fall.detected', 'fall-1');
    await expectAlarm(p, 'fall', 'critical', t0, HOLD);
  });

  it('fall cancelled on the device: no alarm, the cancel is recorded', async () => {
    const p = await bedWithRules('fall-cancel');
    const w = await device(p, 'wearable');
    await event(w, 'fall.detected', 'fall-2');
    await new Promise((r) => setTimeout(r, HOLD / 4));
    await event(w, 'fall.cancelled', 'fall-2-cancel');
    await new Promise((r) => setTimeout(r, HOLD + SLACK));
    expect(stream.events.filter((e) => e.data.alarm.bedId === p.bed.id)).toEqual([]);
    const actions = (await api.get(`/api/beds/${p.bed.id}/rule-actions`)).body;
    expect(actions).toEqual([expect.objectContaining({ type: 'cancelled', kind: 'fall', raised: false })]);
    scenarioBeds.set(p.bed.id, { kind: 'none', severity: 'none' });
  });

  it('night absence: major when not back within the (shortened) limit inside the night window', async () => {
    const p = await bedWithRules('absence');
    const m = await device(p, 'mattress');
    await telemetry(m, normalMattress);
    const t0 = Date.now();
    await telemetry(m, { inBed: false, movement: 0 });
    await expectAlarm(p, 'bed_exit', 'major', t0, HOLD);
  });

  it('bradycardia: major after the major hold', async () => {
    const p = await bedWithRules('brady');
    const m = await device(p, 'mattress');
    await expectStreamedAlarm(m, { ...normalMattress, heartRate: 42 }, p, 'heart_rate', 'major', HOLD);
  });

  it('tachycardia: critical after the critical hold', async () => {
    const p = await bedWithRules('tachy');
    const m = await device(p, 'mattress');
    await expectStreamedAlarm(m, { ...normalMattress, heartRate: 150 }, p, 'heart_rate', 'critical', HOLD / 2);
  });

  it('apnea: critical when no breathing is detected in bed', async () => {
    const p = await bedWithRules('apnea');
    const m = await device(p, 'mattress');
    await expectStreamedAlarm(m, { ...normalMattress, respirationRate: 0 }, p, 'apnea', 'critical', HOLD);
  });

  it('an episode inside one upload: 90 s of heart rate 36 in a 2-minute batch raises on arrival, dated from its first sample', async () => {
    const p = await bedWithRules('batch', { heartRate: { major: { forMs: 2 * 60_000 }, critical: { forMs: 30_000 } } });
    const m = await device(p, 'mattress');
    const first = Date.now() - 120_000;
    const samples = Array.from({ length: 120 }, (_, i) => ({
      ...normalMattress,
      ts: first + i * 1000,
      heartRate: i >= 10 && i < 100 ? 36 : 62,
    }));
    const t0 = Date.now();
    await m.client.publishAsync(telemetryTopic(m.creds.deviceId), JSON.stringify({ ts: t0, seq: m.seq(), samples }), {
      qos: 1,
    });
    const e = await expectAlarm(p, 'heart_rate', 'critical', t0, 0);
    expect(Date.parse(String(e.data.alarm.startedAt))).toBe(first + 10_000);
  });

  it('low SpO2: major from the wearable', async () => {
    const p = await bedWithRules('spo2');
    const w = await device(p, 'wearable');
    await expectStreamedAlarm(w, { worn: true, heartRate: 70, spo2: 88, battery: 80 }, p, 'spo2', 'major', HOLD);
  });

  it('offline via Last Will: minor at once', async () => {
    const p = await bedWithRules('will');
    const w = await device(p, 'wearable');
    await telemetry(w, { worn: true, heartRate: 70, spo2: 97, battery: 80 });
    const t0 = Date.now();
    (w.client as any).stream.destroy(); // vanish without DISCONNECT: the broker publishes the will
    const e = await expectAlarm(p, 'device_offline', 'minor', t0, 0);
    expect(e.data.alarm.subject).toBe(w.creds.deviceId);
  });

  it('offline via silence: minor when the device stops talking, with no further message', async () => {
    const p = await bedWithRules('silent', { deviceOffline: { silentAfterMs: HOLD } });
    const w = await device(p, 'wearable');
    await telemetry(w, { worn: true, heartRate: 70, spo2: 97, battery: 80 });
    const t0 = Date.now();
    await expectAlarm(p, 'device_offline', 'minor', t0, HOLD);
  });

  it('low battery: warning', async () => {
    const p = await bedWithRules('battery');
    const b = await device(p, 'button');
    const t0 = Date.now();
    await telemetry(b, { battery: 9 });
    await expectAlarm(p, 'low_battery', 'warning', t0, 0);
  });

  it('normal data raises nothing', async () => {
    const p = await bedWithRules('normal');
    const m = await device(p, 'mattress');
    const w = await device(p, 'wearable');
    for (let i = 0; i < 6; i++) {
      await telemetry(m, normalMattress);
      await telemetry(w, { worn: true, heartRate: 68, spo2: 97, battery: 80 });
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, SLACK));
    expect(stream.events.filter((e) => e.data.alarm.bedId === p.bed.id)).toEqual([]);
    expect((await api.get(`/api/alarms?bedId=${p.bed.id}`)).body).toEqual([]);
    // Its own pauses take 3 s plus the slack: more than jest's default on a busy machine.
  }, 30_000);

  it('each scenario raised its alarm exactly once, and REST agrees', async () => {
    await new Promise((r) => setTimeout(r, SLACK));
    for (const [bedId, { kind, severity }] of scenarioBeds) {
      const raised = stream.events.filter(raisedFor(bedId));
      if (kind === 'none') {
        expect(raised).toEqual([]);
        continue;
      }
      expect(raised.map((e) => e.data.alarm.kind)).toEqual([kind]);
      const listed = (await api.get(`/api/alarms?bedId=${bedId}`)).body;
      expect(listed).toEqual([expect.objectContaining({ id: raised[0].data.alarm.id, kind, severity, bedId })]);
    }
    const ids = stream.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('alarm lifecycle over REST', () => {
  it('acknowledge then resolve, with a timeline; resolve before acknowledge is 409; bad outcome is 400', async () => {
    const p = await bedWithRules('lifecycle');
    const btn = await device(p, 'button');
    await event(btn, 'button.pressed', 'life-1');
    const raised = await stream.waitFor(raisedFor(p.bed.id, 'sos'));
    const id = raised.data.alarm.id;

    expect((await api.post(`/api/alarms/${id}/resolve`, { outcome: 'assisted' })).status).toBe(409);
    expect((await api.post(`/api/alarms/${id}/resolve`, { outcome: 'nonsense' })).status).toBe(400);
    const ack = await api.post(`/api/alarms/${id}/acknowledge`, { note: 'calling the son' });
    expect(ack.status).toBe(200);
    expect(ack.body.alarm).toEqual(expect.objectContaining({ state: 'acknowledged', acknowledgedBy: 'admin' }));
    expect((await api.post(`/api/alarms/${id}/acknowledge`, {})).status).toBe(409);
    expect((await api.post(`/api/alarms/${id}/notes`, { text: 'son on his way' })).status).toBe(200);
    const resolved = await api.post(`/api/alarms/${id}/resolve`, { outcome: 'assisted', note: 'helped back to bed' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.alarm).toEqual(
      expect.objectContaining({ state: 'resolved', outcome: 'assisted', resolvedBy: 'admin' }),
    );
    expect(resolved.body.timeline.map((t: any) => t.action)).toEqual(['raise', 'acknowledge', 'note', 'resolve']);
    expect(resolved.body.incident.alarms.map((a: any) => a.id)).toContain(id);
    await stream.waitFor((e) => e.type === 'alarm.resolved' && e.data.alarm.id === id);
    expect(stream.events.filter((e) => e.data.alarm.id === id).map((e) => e.type)).toEqual([
      'alarm.raised',
      'alarm.acknowledged',
      'alarm.updated',
      'alarm.resolved',
    ]);

    // Resolution reached the rules: the next press is a new alarm, not a repeat of the closed one.
    await event(btn, 'button.pressed', 'life-2');
    const second = await stream.waitFor((e) => raisedFor(p.bed.id, 'sos')(e) && e.data.alarm.id !== id);
    expect(second.data.alarm.state).toBe('raised');
    expect((await api.get('/api/alarms/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
