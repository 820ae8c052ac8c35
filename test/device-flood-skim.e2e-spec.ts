import mqttPacket from 'mqtt-packet';
import { acksTopic, devicePrefix, eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { startHubWithWebSocket, type Creds } from './mqtt-helpers';
import { rawDevice, type RawMqtt, type RawTransport } from './raw-mqtt';

/**
 * A device over its inbound quota is refused from the raw bytes of its connection (before the
 * broker parses them), from the first message over it on, over TCP and WebSocket: every QoS 1
 * PUBLISH still gets exactly one PUBACK, in the order sent (MQTT 3.1.1 §4.6), a refused message
 * is not echoed back to the device's own wildcard subscription, refusals are counted, and an SOS
 * sent behind thousands of refused messages is read, stored and raises its alarm within seconds.
 * The same for a device over its byte quota with messages left, sending frames larger than a
 * read.
 */
const RATE = 5;
const BURST = 10;
const FLOOD = 3000;
const AFTER = 20;

let hub: HubProcess;
let api: Awaited<ReturnType<typeof startHubWithWebSocket>>['api'];
let wsPort: number;
const raws: RawMqtt[] = [];

beforeAll(async () => {
  ({ hub, api, wsPort } = await startHubWithWebSocket({
    MQTT_DEVICE_MESSAGES_PER_S: String(RATE),
    MQTT_DEVICE_MESSAGE_BURST: String(BURST),
  }));
}, 60_000);

afterAll(async () => {
  raws.forEach((r) => r.destroy());
  await hub?.dispose();
});

const publish = (topic: string, messageId: number, body: unknown) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic,
    payload: JSON.stringify(body),
    qos: 1,
    messageId,
    retain: false,
    dup: false,
  });

const metric = async (name: string) => {
  const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
};

describe.each<[RawTransport, () => number]>([
  ['tcp', () => Number(new URL(hub.mqttUrl).port)],
  ['ws', () => wsPort],
])('over %s', (transport, port) => {
  it('refuses a flood from the bytes: one PUBACK each, in order, nothing echoed, counted; the SOS behind it is read at once', async () => {
    const bed = await api.provisionBed(`flood-skim-${transport}`);
    const creds = bed.devices.wearable.credentials as Creds;
    const id = creds.deviceId;
    const { raw, connack } = await rawDevice(transport, port(), creds);
    raws.push(raw);
    expect(connack).toEqual(expect.objectContaining({ returnCode: 0 }));
    // Its own wildcard: the hub echoes the device's own uplinks back, and answers on acks.
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `${devicePrefix(id)}#`, qos: 1 }] });
    await raw.next((p) => p.cmd === 'suback', 'SUBACK');
    const refusedBefore = await metric('bedside_mqtt_quota_exceeded_total');
    const unparsedBefore = await metric('bedside_mqtt_quota_refused_unparsed_total');

    const t0 = Date.now();
    const sample = (seq: number) => ({ ts: t0 + seq, seq, samples: [{ ts: t0 + seq, heartRate: 70, worn: true }] });
    const flood = Array.from({ length: FLOOD }, (_v, k) => publish(telemetryTopic(id), k + 1, sample(k)));
    const sosId = FLOOD + 1;
    const sos = publish(eventsTopic(id), sosId, { eventId: `skim-${transport}`, type: 'button.pressed', ts: t0 });
    const after = Array.from({ length: AFTER }, (_v, k) =>
      publish(telemetryTopic(id), sosId + 1 + k, sample(FLOOD + k)),
    );
    // Written at once (in 8 KiB pieces: over WebSocket each write is a frame, and frames are
    // bounded like packets): the SOS sits behind the whole flood in the connection.
    const all = Buffer.concat([...flood, sos, ...after]);
    for (let at = 0; at < all.length; at += 8192) raw.stream.write(all.subarray(at, at + 8192));
    const sentAt = Date.now();

    const last = sosId + AFTER;
    await raw.next((p) => p.cmd === 'puback' && p.messageId === last, 'the last PUBACK', 30_000);
    const pubacks = raw.packets.filter((p) => p.cmd === 'puback').map((p) => (p as { messageId: number }).messageId);
    expect(pubacks).toEqual(Array.from({ length: last }, (_v, k) => k + 1));

    const acks = () =>
      raw.packets
        .filter((p) => p.cmd === 'publish' && p.topic === acksTopic(id))
        .map((p) => JSON.parse((p as { payload: Buffer }).payload.toString()) as { eventId: string; status: string });
    const alarmAck = await waitFor(
      () => acks().find((a) => a.eventId === `skim-${transport}` && a.status === 'alarm'),
      { what: "the SOS's alarm ack", timeoutMs: 15_000 },
    );
    expect(alarmAck).toBeDefined();
    const sosMs = Date.now() - sentAt;
    // ~350 KB ahead of it: a few held reads, not the many seconds a full parse of each would take
    // on a loaded machine.
    expect(sosMs).toBeLessThan(8_000);

    // Stored: the burst plus what the rate refilled meanwhile; the rest refused and counted.
    const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(t0 + 60_000).toISOString()}`;
    const stored = (await api.get(`/api/devices/${id}/telemetry?${range}`)).body as unknown[];
    const elapsedS = (Date.now() - t0) / 1000;
    expect(stored.length).toBeGreaterThanOrEqual(BURST);
    expect(stored.length).toBeLessThanOrEqual(BURST + Math.ceil(RATE * elapsedS) + 1);
    const refused = FLOOD + AFTER - stored.length;
    const rejections = (await api.get(`/api/devices/${id}/rejections`)).body as { code: string; count: number }[];
    expect(rejections.find((r) => r.code === 'RATE_LIMITED')?.count).toBe(refused);
    expect((await metric('bedside_mqtt_quota_exceeded_total')) - refusedBefore).toBe(refused);
    // Every one from the raw bytes, the first read over the quota included: none parsed.
    expect((await metric('bedside_mqtt_quota_refused_unparsed_total')) - unparsedBefore).toBe(refused);

    // Echoed back: what was stored (and the SOS), never what was refused.
    await new Promise((r) => setTimeout(r, 500));
    const echoedTelemetry = raw.packets.filter((p) => p.cmd === 'publish' && p.topic === telemetryTopic(id));
    expect(echoedTelemetry).toHaveLength(stored.length);
    expect(raw.packets.filter((p) => p.cmd === 'publish' && p.topic === eventsTopic(id))).toHaveLength(1);

    // Told on errors, a few times at most, not once per message.
    const told = raw.packets.filter((p) => p.cmd === 'publish' && p.topic.endsWith('/errors'));
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told.length).toBeLessThanOrEqual(1 + Math.ceil(elapsedS / 5));
    expect(raw.isClosed()).toBe(false);
  }, 60_000);
});

describe('over its byte quota, with messages left', () => {
  let bytesHub: HubProcess;
  beforeAll(async () => {
    bytesHub = await startHub({
      MQTT_MAX_PACKET_BYTES: String(256 * 1024),
      MQTT_DEVICE_BYTE_BURST: String(256 * 1024),
      MQTT_DEVICE_BYTES_PER_S: String(16 * 1024),
      MQTT_DEVICE_MESSAGES_PER_S: '1000',
      MQTT_DEVICE_MESSAGE_BURST: '1000',
    });
  }, 60_000);
  afterAll(async () => {
    await bytesHub?.dispose();
  });

  it('refuses frames larger than a read from the bytes too: one PUBACK each, in order; the SOS behind them is taken', async () => {
    const bytesApi = hubApi(bytesHub);
    const count = async (name: string) => {
      const text = await (await fetch(`${bytesHub.httpUrl}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    };
    const bed = await bytesApi.provisionBed('flood-skim-bytes');
    const creds = bed.devices.wearable.credentials as Creds;
    const id = creds.deviceId;
    const { raw, connack } = await rawDevice('tcp', bytesHub.mqttPort, creds);
    raws.push(raw);
    expect(connack).toEqual(expect.objectContaining({ returnCode: 0 }));
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: acksTopic(id), qos: 1 }] });
    await raw.next((p) => p.cmd === 'suback', 'SUBACK');

    // 40 messages of ~100 KB (each wider than a socket read): 4 MB against a burst of 256 KiB.
    const FRAMES = 40;
    const t0 = Date.now();
    const big = (k: number) =>
      publish(telemetryTopic(id), k + 1, {
        ts: t0,
        seq: k,
        samples: [{ ts: t0, heartRate: 70, worn: true }],
        note: 'x'.repeat(100_000),
      });
    const sosId = FRAMES + 1;
    const sos = publish(eventsTopic(id), sosId, { eventId: 'skim-bytes', type: 'button.pressed', ts: t0 });
    const [exceededBefore, unparsedBefore] = [
      await count('bedside_mqtt_quota_exceeded_total\\{kind="bytes"\\}'),
      await count('bedside_mqtt_quota_refused_unparsed_total'),
    ];
    raw.stream.write(Buffer.concat([...Array.from({ length: FRAMES }, (_v, k) => big(k)), sos]));

    await raw.next((p) => p.cmd === 'puback' && p.messageId === sosId, 'the last PUBACK', 30_000);
    const pubacks = raw.packets.filter((p) => p.cmd === 'puback').map((p) => (p as { messageId: number }).messageId);
    expect(pubacks).toEqual(Array.from({ length: sosId }, (_v, k) => k + 1));
    await waitFor(
      () =>
        raw.packets.some(
          (p) =>
            p.cmd === 'publish' &&
            p.topic === acksTopic(id) &&
            (JSON.parse((p as { payload: Buffer }).payload.toString()) as { status: string }).status === 'alarm',
        ),
      { what: "the SOS's alarm ack", timeoutMs: 15_000 },
    );

    // The burst and the refill took a few (rejected for their unknown field); the rest were refused
    // for bytes, every one of them from the raw bytes.
    const rejections = (await bytesApi.get(`/api/devices/${id}/rejections`)).body as { code: string; count: number }[];
    const refused = rejections.find((r) => r.code === 'RATE_LIMITED')?.count ?? 0;
    expect(refused).toBeGreaterThanOrEqual(FRAMES - 5);
    expect(refused + (rejections.find((r) => r.code === 'INVALID_PAYLOAD')?.count ?? 0)).toBe(FRAMES);
    expect((await count('bedside_mqtt_quota_exceeded_total\\{kind="bytes"\\}')) - exceededBefore).toBe(refused);
    expect((await count('bedside_mqtt_quota_refused_unparsed_total')) - unparsedBefore).toBe(refused);
    expect(raw.isClosed()).toBe(false);
  }, 60_000);
});
