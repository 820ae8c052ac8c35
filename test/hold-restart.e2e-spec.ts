import { eventsTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Hold timers live in memory: a held alarm whose return time passes while the hub is down comes
 * back after the restart, and one due later comes back at its own time. A held critical keeps
 * escalating on the hub's timers; a held non-critical does not.
 */
const ESCALATE_MS = 3000;
let hub: HubProcess;
let stream: AlarmStreamClient | null = null;

beforeAll(async () => {
  hub = await startHub({ ALARM_ESCALATE_AFTER_MS: String(ESCALATE_MS), DISPLAY_CONFIRM_TIMEOUT_MS: '600000' });
}, 60_000);

afterAll(async () => {
  stream?.close();
  await hub?.dispose();
});

async function raise(api: ReturnType<typeof hubApi>, label: string, type: string, device: 'button' | 'mattress') {
  const p = await api.provisionBed(label);
  const creds = p.devices[device].credentials as Creds;
  const client = await connectDevice(hub.mqttUrl, creds);
  await client.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId: `${label}-1`, type, ts: Date.now() }),
    { qos: 1 },
  );
  await client.endAsync();
  let alarm: any;
  await waitFor(
    async () => {
      alarm = (await api.get(`/api/alarms?bedId=${p.bed.id}`)).body[0];
      return alarm !== undefined;
    },
    { timeoutMs: 10_000, what: `${label} alarm` },
  );
  return alarm;
}

it('a held critical keeps escalating while held; a held non-critical waits for its return time', async () => {
  const api = hubApi(hub);
  const sos = await raise(api, 'held-critical', 'button.pressed', 'button');
  const tamper = await raise(api, 'held-minor', 'tamper', 'mattress');
  const until = new Date(Date.now() + 60_000).toISOString();
  expect((await api.post(`/api/alarms/${sos.id}/hold`, { until, reason: 'family on the way' })).status).toBe(200);
  expect((await api.post(`/api/alarms/${tamper.id}/hold`, { until, reason: 'installer calling back' })).status).toBe(
    200,
  );
  await waitFor(async () => (await api.get(`/api/alarms/${sos.id}`)).body.alarm.escalationLevel >= 1, {
    timeoutMs: ESCALATE_MS + 5000,
    what: 'held critical escalated',
  });
  const heldSos = (await api.get(`/api/alarms/${sos.id}`)).body.alarm;
  expect(heldSos.heldUntil).toBe(until); // still held while escalating
  const heldTamper = (await api.get(`/api/alarms/${tamper.id}`)).body.alarm;
  expect(heldTamper).toMatchObject({ escalationLevel: 0, nextEscalationAt: null, heldUntil: until });
}, 60_000);

it('a return time that passed while the hub was down brings the alarm back after the restart', async () => {
  const api = hubApi(hub);
  const tamper = await raise(api, 'held-restart', 'tamper', 'mattress');
  const soon = Date.now() + 1500;
  const held = await api.post(`/api/alarms/${tamper.id}/hold`, {
    until: new Date(soon).toISOString(),
    reason: 'back after restart',
  });
  expect(held.status).toBe(200);
  await hub.kill();
  await new Promise((r) => setTimeout(r, Math.max(0, soon + 500 - Date.now())));
  await hub.restart();
  stream = await openAlarmStream(hub.httpUrl, hub.authHeader, { lastEventId: 0 });
  const back = await stream.waitFor(
    (e) => e.type === 'alarm.escalated' && e.data.alarm.id === tamper.id && e.data.alarm.heldUntil === null,
    15_000,
  );
  expect(Date.parse(back.data.at)).toBeGreaterThanOrEqual(soon);
  const detail = (await api.get(`/api/alarms/${tamper.id}`)).body;
  expect(detail.alarm.heldUntil).toBeNull();
  const returns = detail.timeline.filter((e: any) => e.action === 'hold_return');
  expect(returns).toHaveLength(1);
  expect(returns[0]).toMatchObject({ code: 'hold_returned', params: { level: 1 } });
  // Back and still unacknowledged: its (overdue) escalation runs again from there.
  expect(detail.alarm.escalationLevel).toBeGreaterThanOrEqual(1);
}, 60_000);
