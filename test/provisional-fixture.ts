import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { waitFor, type HubProcess } from '@bedside/testing';
import type { AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf, signIn, type Api } from './tenant-fixture';

/**
 * Calls for help pressed while PostgreSQL is unreachable, as the tests see them: an organisation
 * with a bed and a signed-in operator, a call button that reconnects and resends like a device,
 * and what a console (openAlarmStream) must have seen of a call once it is stored.
 */

/** A bed in its own organisation, an operator of that organisation signed in, SOS alarms raised at once. */
export async function tenant(hub: HubProcess, admin: Api, label: string) {
  const bed = await admin.provisionBed(label);
  expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
  const username = `operator-${label}`;
  const r = await admin.post('/api/users', {
    username,
    password: passwordOf(username),
    displayName: `operator ${label}`,
    role: 'operator',
    organisationId: bed.org.id,
  });
  expect(r.status).toBe(201);
  return { ...bed, button: bed.devices.button.credentials as Creds, auth: await signIn(hub, username) };
}

/** A button that reconnects and resends like a device: a persistent session, retries every 250 ms. */
export async function button(hub: { mqttUrl: string }, creds: Creds) {
  const client = await connectDevice(hub.mqttUrl, creds, {
    clean: false,
    reconnectPeriod: 250,
    reconnectOnConnackError: true,
  });
  let reconnects = 0;
  client.on('reconnect', () => reconnects++);
  return { client, reconnects: () => reconnects };
}

export function press(client: MqttClient, creds: Creds, eventId: string) {
  let acked = false;
  const done = client
    .publishAsync(eventsTopic(creds.deviceId), JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }), {
      qos: 1,
    })
    .then(() => (acked = true));
  return { done, acked: () => acked, at: Date.now() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a console sees of one call once it is stored: the alarm event the rules wrote for it (on
 * the journal, with an id), then the stored notice naming that alarm, and only one SOS alarm.
 */
export async function expectStoredOnce(
  console: AlarmStreamClient,
  api: Api,
  bedId: string,
  deviceId: string,
  eventId: string,
) {
  const key = `${deviceId}/${eventId}`;
  const stored = await waitFor(() => console.noticesOf('provisional.stored', (d) => d.key === key)[0], {
    timeoutMs: 30_000,
    what: 'the stored notice',
  });
  const alarms = (await api.get(`/api/alarms?bedId=${bedId}`)).body.filter((a: { kind: string }) => a.kind === 'sos');
  expect(alarms).toHaveLength(1);
  expect(stored.data.alarmId).toBe(alarms[0].id);
  const alarmEvent = console.events.findLast(
    (e) => e.type.startsWith('alarm.') && e.data.alarm.id === alarms[0].id && e.receivedAt <= stored.receivedAt,
  );
  expect(Number.isSafeInteger(alarmEvent?.id)).toBe(true); // journalled, and on the stream before the stored notice
  expect(console.all.indexOf(alarmEvent!)).toBeLessThan(console.all.indexOf(stored));
  expect(console.noticesOf('provisional.alarm', (d) => d.key === key)).toHaveLength(1);
  expect(console.noticesOf('provisional.stored', (d) => d.key === key)).toHaveLength(1);
  return alarmEvent!;
}
