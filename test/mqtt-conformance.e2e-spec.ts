import mqttPacket from 'mqtt-packet';
import { acksTopic, eventsTopic } from '@bedside/contracts';
import { type HubProcess, type hubApi } from '@bedside/testing';
import { startHubWithWebSocket, type Creds } from './mqtt-helpers';
import { rawConnection, rawDevice, type RawTransport } from './raw-mqtt';

/** MQTT 3.1.1 rules the hub keeps, each over TCP and WebSocket, with the clause it follows. */
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let wsPort: number;

beforeAll(async () => {
  ({ hub, api, wsPort } = await startHubWithWebSocket());
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

/** A CONNECT generated with a legal will, then its Will QoS bits forced (mqtt-packet will not write 3). */
function connectWithWillQos3(creds: Creds): Buffer {
  const buf = mqttPacket.generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId: creds.mqtt.clientId,
    username: creds.mqtt.username,
    password: Buffer.from(creds.mqtt.password),
    keepalive: 30,
    will: { topic: creds.mqtt.lastWill.topic, payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true },
  } as any);
  const flagsAt = buf.indexOf(Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04])) + 7;
  buf[flagsAt] |= 0x18; // Will QoS = 3 (bits 4-3)
  return buf;
}

describe.each<[RawTransport, () => number]>([
  ['tcp', () => hub.mqttPort],
  ['ws', () => wsPort],
])('over %s', (transport, port) => {
  let bed: Awaited<ReturnType<typeof api.provisionBed>>;
  beforeAll(async () => {
    bed = await api.provisionBed(`conformance-${transport}`);
  });

  it('§3.1.2-14: a CONNECT with Will QoS 3 is a protocol violation: closed, no CONNACK', async () => {
    const raw = await rawConnection(transport, port());
    raw.stream.write(connectWithWillQos3(bed.devices.mattress.credentials));
    await raw.closed;
    expect(raw.packets.filter((p) => p.cmd === 'connack')).toEqual([]);
  });

  it('§3.1.3-10/§4.7.1: a Will Topic with a wildcard is refused: closed, no CONNACK', async () => {
    const creds = bed.devices.mattress.credentials as Creds;
    const raw = await rawConnection(transport, port());
    raw.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: creds.mqtt.clientId,
      username: creds.mqtt.username,
      password: Buffer.from(creds.mqtt.password),
      keepalive: 30,
      will: { topic: 'bedside/v1/devices/+/status', payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true },
    });
    await raw.closed;
    expect(raw.packets.filter((p) => p.cmd === 'connack')).toEqual([]);
  });

  it.each([0, 7200, 65535])(
    '§3.1.2.10/§3.2.2.3: keep alive %i is accepted (CONNACK 0), never the non-existent code 6',
    async (keepalive) => {
      const { raw, connack } = await rawDevice(transport, port(), bed.devices.wearable.credentials, { keepalive });
      expect(connack.returnCode).toBe(0);
      raw.destroy();
    },
  );

  it('§2.3.1-1: a QoS 1 PUBLISH with packet id 0 is a protocol violation: closed, no PUBACK, nothing stored', async () => {
    const creds = bed.devices.button.credentials as Creds;
    const { raw } = await rawDevice(transport, port(), creds);
    const good = mqttPacket.generate({
      cmd: 'publish',
      topic: eventsTopic(creds.deviceId),
      payload: JSON.stringify({ eventId: 'pid-zero', type: 'button.pressed', ts: Date.now() }),
      qos: 1,
      messageId: 1,
      retain: false,
      dup: false,
    });
    const idAt = 2 + 2 + eventsTopic(creds.deviceId).length; // fixed header (2 bytes here), topic length, topic
    good.writeUInt16BE(0, idAt);
    raw.stream.write(good);
    await raw.closed;
    expect(raw.packets.filter((p) => p.cmd === 'puback')).toEqual([]);
    expect((await api.get(`/api/devices/${creds.deviceId}/events`)).body.map((e: any) => e.eventId)).not.toContain(
      'pid-zero',
    );
  });

  it('§3.3.1-1: a QoS 1 downlink left unacknowledged is resent after reconnecting with DUP 1 and the same packet id', async () => {
    const creds = bed.devices.wearable.credentials as Creds;
    const first = await rawDevice(transport, port(), creds, { clean: false });
    first.raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: acksTopic(creds.deviceId), qos: 1 }] });
    await first.raw.next((p) => p.cmd === 'suback', 'SUBACK');
    first.raw.send({
      cmd: 'publish',
      topic: eventsTopic(creds.deviceId),
      payload: JSON.stringify({ eventId: 'dup-1', type: 'wearable.worn', ts: Date.now() }),
      qos: 1,
      messageId: 2,
      retain: false,
      dup: false,
    });
    const ack = await first.raw.next((p) => p.cmd === 'publish' && p.topic === acksTopic(creds.deviceId), 'stored ack');
    expect(ack.dup).toBe(false);
    first.raw.destroy(); // gone without a PUBACK for the ack
    await first.raw.closed;
    const again = await rawDevice(transport, port(), creds, { clean: false });
    expect(again.connack.sessionPresent).toBe(true);
    const resent = await again.raw.next(
      (p) => p.cmd === 'publish' && p.topic === acksTopic(creds.deviceId),
      'resent ack',
    );
    expect(resent).toEqual(expect.objectContaining({ dup: true, messageId: ack.messageId, qos: 1 }));
    expect(JSON.parse(resent.payload.toString()).eventId).toBe('dup-1');
    again.raw.send({ cmd: 'puback', messageId: resent.messageId });
    again.raw.send({ cmd: 'disconnect' });
  });
});
