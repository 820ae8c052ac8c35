import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { readEventStream, waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf, signIn, type Api } from './tenant-fixture';

/**
 * Calls for help pressed while PostgreSQL is unreachable, as the tests see them: a console's
 * alarm stream with arrival times, an organisation with a bed and a signed-in operator, a call
 * button that reconnects and resends like a device, and what a console must have seen of a call
 * once it is stored.
 */

export interface Received {
  type: string;
  id: string | undefined;
  data: Record<string, any>;
  at: number;
}

/** A console's alarm stream, read with the tests' SSE reader: every event with its arrival time. */
export async function openStream(httpUrl: string, auth: string) {
  const abort = new AbortController();
  const res = await fetch(`${httpUrl}/api/alarms/stream`, {
    headers: { authorization: auth, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const events: Received[] = [];
  const ended = readEventStream(res.body!, {
    onEvent: (m) =>
      events.push({
        type: m.event ?? 'message',
        id: m.id,
        data: JSON.parse(m.data) as Record<string, any>,
        at: Date.now(),
      }),
  }).catch(() => undefined);
  return {
    events,
    ended,
    of: (type: string, pred: (d: Record<string, any>) => boolean = () => true) =>
      events.filter((e) => e.type === type && pred(e.data)),
    close: () => abort.abort(),
  };
}
export type Stream = Awaited<ReturnType<typeof openStream>>;

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
export async function expectStoredOnce(console: Stream, api: Api, bedId: string, deviceId: string, eventId: string) {
  const key = `${deviceId}/${eventId}`;
  const stored = await waitFor(() => console.of('provisional.stored', (d) => d.key === key)[0], {
    timeoutMs: 30_000,
    what: 'the stored notice',
  });
  const alarms = (await api.get(`/api/alarms?bedId=${bedId}`)).body.filter((a: { kind: string }) => a.kind === 'sos');
  expect(alarms).toHaveLength(1);
  expect(stored.data.alarmId).toBe(alarms[0].id);
  const alarmEvent = console.events.findLast(
    (e) => e.type.startsWith('alarm.') && e.data.alarm.id === alarms[0].id && e.at <= stored.at,
  );
  expect(alarmEvent?.id).toMatch(/^\d+$/); // journalled, and on the stream before the stored notice
  expect(console.events.indexOf(alarmEvent!)).toBeLessThan(console.events.indexOf(stored));
  expect(console.of('provisional.alarm', (d) => d.key === key)).toHaveLength(1);
  expect(console.of('provisional.stored', (d) => d.key === key)).toHaveLength(1);
  return alarmEvent!;
}
