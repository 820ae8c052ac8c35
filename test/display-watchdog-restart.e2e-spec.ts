import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * The display watchdog's timers live in memory. An alarm raised just before the hub died and
 * never shown on a console must still be escalated for not being shown, after the restart.
 */
const DISPLAY_MS = 4000;
let hub: HubProcess;
let client: MqttClient | null = null;
let stream: AlarmStreamClient | null = null;

beforeAll(async () => {
  // Ordinary escalation far away, so an escalation within the test can only be the watchdog's.
  hub = await startHub({ DISPLAY_CONFIRM_TIMEOUT_MS: String(DISPLAY_MS), ALARM_ESCALATE_AFTER_MS: '600000' });
}, 60_000);

afterAll(async () => {
  stream?.close();
  client?.end(true);
  await hub?.dispose();
});

it('escalates an alarm raised before a kill -9 and never shown, after the restart', async () => {
  const api = hubApi(hub);
  const p = await api.provisionBed('unseen');
  const creds = p.devices.button.credentials as Creds;
  client = await connectDevice(hub.mqttUrl, creds);
  client.on('error', () => undefined);
  await client.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId: 'press-1', type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  const [alarm] = (await api.get(`/api/alarms?bedId=${p.bed.id}`)).body;
  const raisedAt = Date.parse(alarm.raisedAt);
  expect(alarm).toEqual(expect.objectContaining({ kind: 'sos', state: 'raised', escalationLevel: 0 }));

  await hub.kill();
  await hub.restart();
  // From the start of the log: on a slow restart the overdue escalation happens at boot, before
  // any console could connect, and a console resuming with Last-Event-ID sees it.
  stream = await openAlarmStream(hub.httpUrl, hub.authHeader, { lastEventId: 0 });
  const escalated = await stream.waitFor(
    (e) => e.type === 'alarm.escalated' && e.data.alarm.id === alarm.id,
    DISPLAY_MS + 15_000,
  );
  // Due DISPLAY_MS after the raise, not DISPLAY_MS after the restart, and not before.
  expect(Date.parse(escalated.data.at) - raisedAt).toBeGreaterThanOrEqual(DISPLAY_MS - 50);
  const detail = (await api.get(`/api/alarms/${alarm.id}`)).body;
  expect(detail.alarm.escalationLevel).toBe(1);
  expect(detail.timeline.map((t: any) => t.note ?? '')).toEqual(
    expect.arrayContaining([expect.stringMatching(/not shown on any console/)]),
  );
}, 60_000);
