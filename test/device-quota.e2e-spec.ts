import mqttPacket from 'mqtt-packet';
import { eventsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import { waitFor } from '@bedside/testing';
import { listenDownlinks, type Creds } from './mqtt-helpers';
import type { RawTransport } from './raw-mqtt';
import { THROTTLE, startThrottledHub, type ThrottledHub } from './throttled-hub';

/**
 * Per-device inbound quotas over TCP and WebSocket: a device flooding telemetry is throttled
 * (each message over its quota acknowledged, not stored, counted; the device told with
 * RATE_LIMITED a few times, not once per message), its SOS in the middle of the flood is
 * stored and raises its alarm, and a device of another bed publishing at a normal pace loses
 * nothing. A device that vanishes over its quota still has its Last Will published.
 */
const RATE = THROTTLE.messagesPerS;
const BURST = THROTTLE.messageBurst;
const FLOOD = 150;

let edge: ThrottledHub;
let api: ThrottledHub['api'];

beforeAll(async () => {
  edge = await startThrottledHub();
  ({ api } = edge);
}, 60_000);

afterAll(async () => {
  await edge?.dispose();
});

async function connect(transport: RawTransport, creds: Creds) {
  const client = await edge.connect(transport, creds);
  return { client, downlinks: await listenDownlinks(client, creds.deviceId) };
}

const sample = (ts: number, seq: number) => JSON.stringify({ ts, seq, samples: [{ ts, heartRate: 70, worn: true }] });

describe.each<RawTransport>(['tcp', 'ws'])('over %s', (transport) => {
  it('throttles a flooding device alone; its SOS still gets through', async () => {
    const floodBed = await api.provisionBed(`quota-flood-${transport}`);
    const calmBed = await api.provisionBed(`quota-calm-${transport}`);
    const floodCreds = floodBed.devices.wearable.credentials as Creds;
    const calmCreds = calmBed.devices.wearable.credentials as Creds;
    const flood = await connect(transport, floodCreds);
    const calm = await connect(transport, calmCreds);

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
    const exceeded = await edge.metric('bedside_mqtt_quota_exceeded_total', { kind: 'messages' });
    expect(exceeded).toBeGreaterThanOrEqual(FLOOD - stored.length);
    const spells = edge.hub
      .logs()
      .split('\n')
      .filter((l) => l.includes('device over its inbound quota') && l.includes(floodCreds.deviceId));
    expect(spells).toHaveLength(1);
  }, 60_000);

  /**
   * The Last Will is published by the hub on the device's behalf once per connection (MQTT 3.1.1
   * §3.1.2.5) and is what starts the offline handling, so it passes whatever the quota: a device
   * that vanishes in the middle of its own flood still raises device_offline after the grace (from
   * its will, not after 5 min of silence).
   */
  it('publishes the Last Will of a device that vanishes while over its quota', async () => {
    const GRACE_MS = 1000;
    const p = await api.provisionBed(`quota-will-${transport}`);
    const bedId = (p.bed as { id: string }).id;
    const put = await api.put(`/api/beds/${bedId}/rules`, {
      deviceOffline: { graceMs: GRACE_MS, clearAfterMs: 60_000 },
    });
    expect(put.status).toBe(200);
    const creds = p.devices.button.credentials as Creds;
    const id = creds.deviceId;
    const { raw, connack } = await edge.rawDevice(transport, creds, {
      will: { ...creds.mqtt.lastWill, payload: Buffer.from(creds.mqtt.lastWill.payload) },
    });
    expect(connack).toEqual(expect.objectContaining({ returnCode: 0 }));

    // A stuck button: presses (which pass whatever the quota, and leave it in debt for 2 s at this
    // rate) and then a status flood, far more than the hub reads before the socket goes. The
    // quota has no message left for anything but a call for help when the will comes.
    const t0 = Date.now();
    const frame = (topic: string, payload: unknown) =>
      mqttPacket.generate({
        cmd: 'publish',
        topic,
        payload: JSON.stringify(payload),
        qos: 0,
        retain: false,
        dup: false,
      });
    const presses = Array.from({ length: 3 * BURST }, () =>
      frame(eventsTopic(id), { eventId: 'stuck-1', type: 'button.pressed', ts: t0 }),
    );
    const statuses = Array.from({ length: 5000 }, (_v, k) =>
      frame(statusTopic(id), { state: 'online', ts: t0 + k, battery: 80 }),
    );
    const refused = () => edge.metric('bedside_mqtt_quota_exceeded_total');
    const before = await refused();
    raw.sendBytes(Buffer.concat([...presses, ...statuses]));
    await waitFor(async () => (await refused()) - before > 100, { what: 'the flood refused', timeoutMs: 10_000 });
    // Vanish without DISCONNECT, with a reset: the hub closes at once (not after reading what is
    // still on its way) and publishes the will.
    raw.reset();

    const alarm = await waitFor(
      async () =>
        (
          (await api.get(`/api/alarms?bedId=${bedId}&kind=device_offline`)).body as {
            id: string;
            subject: string;
          }[]
        )[0],
      { what: 'device_offline alarm', timeoutMs: GRACE_MS + 10_000 },
    );
    expect(alarm.subject).toBe(id);
    const detail = (await api.get(`/api/alarms/${alarm.id}`)).body as { timeline: { code: string | null }[] };
    expect(detail.timeline.map((e) => e.code)).toContain('rule.offline_last_will');
    const device = (await api.get(`/api/devices/${id}`)).body as { status: { online: boolean } };
    expect(device.status.online).toBe(false);
  }, 60_000);
});
