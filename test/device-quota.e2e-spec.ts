import type { MqttClient } from 'mqtt';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice, listenDownlinks, startHubWithWebSocket, type Creds } from './mqtt-helpers';

/**
 * Per-device inbound quotas over TCP and WebSocket: a device flooding telemetry is throttled
 * (each message over its quota acknowledged, not stored, counted; the device told with
 * RATE_LIMITED a few times, not once per message), its SOS in the middle of the flood is
 * stored and raises its alarm, and a device of another bed publishing at a normal pace loses
 * nothing.
 */
const RATE = 5;
const BURST = 10;
const FLOOD = 150;

let hub: HubProcess;
let api: Awaited<ReturnType<typeof startHubWithWebSocket>>['api'];
let wsPort: number;
const clients: MqttClient[] = [];

beforeAll(async () => {
  ({ hub, api, wsPort } = await startHubWithWebSocket({
    MQTT_DEVICE_MESSAGES_PER_S: String(RATE),
    MQTT_DEVICE_MESSAGE_BURST: String(BURST),
  }));
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.end(true));
  await hub?.dispose();
});

async function connect(url: string, creds: Creds) {
  const client = await connectDevice(url, creds);
  clients.push(client);
  return { client, downlinks: await listenDownlinks(client, creds.deviceId) };
}

const sample = (ts: number, seq: number) => JSON.stringify({ ts, seq, samples: [{ ts, heartRate: 70, worn: true }] });

describe.each<[string, () => string]>([
  ['TCP', () => hub.mqttUrl],
  ['WebSocket', () => `ws://127.0.0.1:${wsPort}/mqtt`],
])('over %s', (transport, url) => {
  it('throttles a flooding device alone; its SOS still gets through', async () => {
    const floodBed = await api.provisionBed(`quota-flood-${transport}`);
    const calmBed = await api.provisionBed(`quota-calm-${transport}`);
    const floodCreds = floodBed.devices.wearable.credentials as Creds;
    const calmCreds = calmBed.devices.wearable.credentials as Creds;
    const flood = await connect(url(), floodCreds);
    const calm = await connect(url(), calmCreds);

    const t0 = Date.now();
    const calmDone = (async () => {
      for (let i = 0; i < 6; i++) {
        await calm.client.publishAsync(telemetryTopic(calmCreds.deviceId), sample(t0 + i, i), { qos: 1 });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const published: Promise<unknown>[] = [];
    for (let i = 0; i < FLOOD; i++) {
      published.push(flood.client.publishAsync(telemetryTopic(floodCreds.deviceId), sample(t0 + i, i), { qos: 1 }));
      if (i === FLOOD / 2)
        published.push(
          flood.client.publishAsync(
            eventsTopic(floodCreds.deviceId),
            JSON.stringify({ eventId: `sos-${transport}`, type: 'button.pressed', ts: Date.now() }),
            { qos: 1 },
          ),
        );
    }
    // Every message is acknowledged (PUBACK), stored or not; nothing is left for the device to resend.
    await Promise.all(published);
    const elapsedS = (Date.now() - t0) / 1000;
    await calmDone;

    // The SOS sent inside the flood was stored and raised its alarm.
    await waitFor(
      () =>
        flood.downlinks.acks.some(
          (a: { eventId: string; status: string }) => a.eventId === `sos-${transport}` && a.status === 'stored',
        ) &&
        flood.downlinks.acks.some(
          (a: { eventId: string; status: string }) => a.eventId === `sos-${transport}` && a.status === 'alarm',
        ),
      { what: 'stored and alarm acks of the SOS', timeoutMs: 10_000 },
    );
    const alarms = (await api.get(`/api/alarms?bedId=${(floodBed.bed as { id: string }).id}&kind=sos`))
      .body as unknown[];
    expect(alarms).toHaveLength(1);

    // Stored: the burst plus what the rate refilled while the flood lasted, never all of it.
    const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(t0 + 60_000).toISOString()}`;
    const stored = (await api.get(`/api/devices/${floodCreds.deviceId}/telemetry?${range}`)).body as unknown[];
    expect(stored.length).toBeGreaterThanOrEqual(BURST);
    expect(stored.length).toBeLessThanOrEqual(BURST + Math.ceil(RATE * elapsedS) + 1);
    const rejections = (await api.get(`/api/devices/${floodCreds.deviceId}/rejections`)).body as {
      code: string;
      count: number;
    }[];
    expect(rejections.find((r) => r.code === 'RATE_LIMITED')?.count).toBe(FLOOD - stored.length);

    // Told, but not once per refused message.
    const told = (flood.downlinks.errors as { code: string; message: string }[]).filter(
      (e) => e.code === 'RATE_LIMITED',
    );
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told.length).toBeLessThanOrEqual(1 + Math.ceil(elapsedS / 5));
    expect(told[0]).toEqual(expect.objectContaining({ topic: telemetryTopic(floodCreds.deviceId) }));
    expect((told[0] as { message: string }).message).toMatch(/quota/);

    // The other device lost nothing and was told nothing.
    const calmStored = (await api.get(`/api/devices/${calmCreds.deviceId}/telemetry?${range}`)).body as unknown[];
    expect(calmStored).toHaveLength(6);
    expect(calm.downlinks.errors).toEqual([]);

    // Counted, and logged once for the spell rather than per message.
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    const exceeded = Number(/bedside_mqtt_quota_exceeded_total\{kind="messages"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    expect(exceeded).toBeGreaterThanOrEqual(FLOOD - stored.length);
    const spells = hub
      .logs()
      .split('\n')
      .filter((l) => l.includes('device over its inbound quota') && l.includes(floodCreds.deviceId));
    expect(spells).toHaveLength(1);
  }, 60_000);
});
