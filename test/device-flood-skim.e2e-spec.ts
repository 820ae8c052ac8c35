import mqttPacket from 'mqtt-packet';
import { acksTopic, devicePrefix, eventsTopic, telemetryTopic } from '@bedside/contracts';
import { waitFor } from '@bedside/testing';
import type { Creds } from './mqtt-helpers';
import type { RawTransport } from './raw-mqtt';
import { THROTTLE, startThrottledHub, type ThrottledHub } from './throttled-hub';

/**
 * A device over its inbound quota is refused from the raw bytes of its connection (before the
 * broker parses them), from the first message over it on, over TCP and WebSocket: every QoS 1
 * PUBLISH still gets exactly one PUBACK, in the order sent (MQTT 3.1.1 §4.6), a refused message
 * is not echoed back to the device's own wildcard subscription, refusals are counted, and an SOS
 * sent behind thousands of refused messages is read, stored and raises its alarm within seconds.
 * The same for a device over its byte quota with messages left, sending frames larger than a
 * read.
 */
const RATE = THROTTLE.messagesPerS;
const BURST = THROTTLE.messageBurst;
const FLOOD = 3000;
const AFTER = 20;

let edge: ThrottledHub;
let api: ThrottledHub['api'];

beforeAll(async () => {
  edge = await startThrottledHub();
  ({ api } = edge);
}, 60_000);

afterAll(async () => {
  await edge?.dispose();
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

describe.each<RawTransport>(['tcp', 'ws'])('over %s', (transport) => {
  it('refuses a flood from the bytes: one PUBACK each, in order, nothing echoed, counted; the SOS behind it is read at once', async () => {
    const bed = await api.provisionBed(`flood-skim-${transport}`);
    const creds = bed.devices.wearable.credentials as Creds;
    const id = creds.deviceId;
    const { raw, connack } = await edge.rawDevice(transport, creds);
    expect(connack).toEqual(expect.objectContaining({ returnCode: 0 }));
    // Its own wildcard: the hub echoes the device's own uplinks back, and answers on acks.
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `${devicePrefix(id)}#`, qos: 1 }] });
    await raw.next((p) => p.cmd === 'suback', 'SUBACK');
    const refusedBefore = await edge.metric('bedside_mqtt_quota_exceeded_total');
    const unparsedBefore = await edge.metric('bedside_mqtt_quota_refused_unparsed_total');

    const t0 = Date.now();
    const sample = (seq: number) => ({ ts: t0 + seq, seq, samples: [{ ts: t0 + seq, heartRate: 70, worn: true }] });
    const flood = Array.from({ length: FLOOD }, (_v, k) => publish(telemetryTopic(id), k + 1, sample(k)));
    const sosId = FLOOD + 1;
    const sos = publish(eventsTopic(id), sosId, { eventId: `skim-${transport}`, type: 'button.pressed', ts: t0 });
    const after = Array.from({ length: AFTER }, (_v, k) =>
      publish(telemetryTopic(id), sosId + 1 + k, sample(FLOOD + k)),
    );
    // Written at once: the SOS sits behind the whole flood in the connection.
    raw.sendBytes(Buffer.concat([...flood, sos, ...after]));
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
    expect((await edge.metric('bedside_mqtt_quota_exceeded_total')) - refusedBefore).toBe(refused);
    // Every one from the raw bytes, the first read over the quota included: none parsed.
    expect((await edge.metric('bedside_mqtt_quota_refused_unparsed_total')) - unparsedBefore).toBe(refused);

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

  it('over its byte quota with messages left, refuses frames larger than a read from the bytes too: one PUBACK each, in order; the SOS behind them is taken', async () => {
    const bed = await api.provisionBed(`flood-skim-bytes-${transport}`);
    const creds = bed.devices.wearable.credentials as Creds;
    const id = creds.deviceId;
    const { raw, connack } = await edge.rawDevice(transport, creds);
    expect(connack).toEqual(expect.objectContaining({ returnCode: 0 }));
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: acksTopic(id), qos: 1 }] });
    await raw.next((p) => p.cmd === 'suback', 'SUBACK');

    // 20 messages of ~100 KB (each wider than a socket read, and over WebSocket than a frame):
    // 2 MB against a byte burst of 256 KiB, with messages left all along (a refusal takes none).
    const FRAMES = 20;
    const t0 = Date.now();
    const big = (k: number) =>
      publish(telemetryTopic(id), k + 1, {
        ts: t0,
        seq: k,
        samples: [{ ts: t0, heartRate: 70, worn: true }],
        note: 'x'.repeat(100_000),
      });
    const sosId = FRAMES + 1;
    const sos = publish(eventsTopic(id), sosId, { eventId: `skim-bytes-${transport}`, type: 'button.pressed', ts: t0 });
    const bytesRefused = () => edge.metric('bedside_mqtt_quota_exceeded_total', { kind: 'bytes' });
    const unparsed = () => edge.metric('bedside_mqtt_quota_refused_unparsed_total');
    const [exceededBefore, unparsedBefore] = [await bytesRefused(), await unparsed()];
    raw.sendBytes(Buffer.concat([...Array.from({ length: FRAMES }, (_v, k) => big(k)), sos]));

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
    const rejections = (await api.get(`/api/devices/${id}/rejections`)).body as { code: string; count: number }[];
    const refused = rejections.find((r) => r.code === 'RATE_LIMITED')?.count ?? 0;
    expect(refused).toBeGreaterThanOrEqual(FRAMES - 5);
    expect(refused + (rejections.find((r) => r.code === 'INVALID_PAYLOAD')?.count ?? 0)).toBe(FRAMES);
    expect((await bytesRefused()) - exceededBefore).toBe(refused);
    expect((await unparsed()) - unparsedBefore).toBe(refused);
    expect(raw.isClosed()).toBe(false);
  }, 60_000);
});
