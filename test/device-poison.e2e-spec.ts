import { eventsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import { waitFor, type HubProcess, type hubApi } from '@bedside/testing';
import { connectDevice, listenDownlinks, startHubWithWebSocket, type Creds } from './mqtt-helpers';

/**
 * No payload may poison a device: whatever a device sends is either stored or rejected with a
 * documented error code, and acknowledged either way (a PUBACK withheld makes a device that
 * follows MQTT 3.1.1 §4.4 resend it forever, with its later messages queued behind it).
 */
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let wsPort: number;

beforeAll(async () => {
  ({ hub, api, wsPort } = await startHubWithWebSocket());
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

const transports: [string, () => string][] = [
  ['TCP', () => hub.mqttUrl],
  ['WebSocket', () => `ws://127.0.0.1:${wsPort}/mqtt`],
];
const ts = () => Date.now();

describe.each(transports)('over %s', (transport, url) => {
  let bed: Awaited<ReturnType<typeof api.provisionBed>>;
  beforeAll(async () => {
    bed = await api.provisionBed(`poison-${transport}`);
  });

  /** Publishes at QoS 1, resolves with the error downlink once the PUBACK has come. */
  const rejectionOf = async (creds: Creds, topic: string, payload: string | Buffer) => {
    const client = await connectDevice(url(), creds);
    const down = await listenDownlinks(client, creds.deviceId);
    await client.publishAsync(topic, payload, { qos: 1 }); // resolves on the PUBACK
    const err = await waitFor(() => down.errors[0], { what: 'error downlink' });
    expect(client.connected).toBe(true);
    return { client, err };
  };

  it('a status with U+0000 in a string is acknowledged and refused, and the next message is stored', async () => {
    const mat = bed.devices.mattress.credentials as Creds;
    const { client, err } = await rejectionOf(
      mat,
      statusTopic(mat.deviceId),
      '{"state":"online","firmware":"2.4\\u00001"}',
    );
    expect(err).toEqual(expect.objectContaining({ code: 'INVALID_PAYLOAD', topic: statusTopic(mat.deviceId) }));
    expect(err.message).toMatch(/U\+0000/);
    await client.publishAsync(
      statusTopic(mat.deviceId),
      JSON.stringify({ state: 'online', ts: ts(), firmware: '2.4.2' }),
      { qos: 1 },
    );
    expect((await api.get(`/api/devices/${mat.deviceId}`)).body.status.firmware).toBe('2.4.2');
    await client.endAsync();
  });

  it('unknown fields nested 2,000 levels deep are acknowledged and refused, the connection kept', async () => {
    const wear = bed.devices.wearable.credentials as Creds;
    const deep = `{"state":"online","extra":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`;
    const { client, err } = await rejectionOf(wear, statusTopic(wear.deviceId), deep);
    expect(err.code).toBe('INVALID_PAYLOAD');
    expect(err.message).toMatch(/nested deeper than 8 levels/);
    await client.endAsync();
  });

  it("a field name with U+0000 is refused and every device's rejection counts are still recorded", async () => {
    const btn = bed.devices.button.credentials as Creds;
    const mat = bed.devices.mattress.credentials as Creds;
    const { client, err } = await rejectionOf(
      btn,
      telemetryTopic(btn.deviceId),
      `{"ts":${ts()},"seq":1,"samples":[{"battery":50}],"na\\u0000me":1}`,
    );
    expect(err.code).toBe('INVALID_PAYLOAD');
    await client.endAsync();
    // A field name that *is* storable but odd still reaches the rejection log.
    const other = await rejectionOf(
      btn,
      telemetryTopic(btn.deviceId),
      `{"ts":${ts()},"seq":2,"samples":[{"battery":50}],"na\\u00e9me":1}`,
    );
    expect(other.err.errors[0].field).toBe('naéme');
    await other.client.endAsync();
    await waitFor(
      async () =>
        (await api.get(`/api/devices/${btn.deviceId}/rejections`)).body.find((r: any) => r.code === 'INVALID_PAYLOAD')
          ?.count === 2,
      { what: 'button rejections saved' },
    );
    const mine = (await api.get(`/api/devices/${mat.deviceId}/rejections`)).body;
    expect(mine).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'INVALID_PAYLOAD', count: 1 })]));
  });

  it('invalid UTF-8 inside a JSON string is MALFORMED_JSON, never stored as U+FFFD', async () => {
    const mat = bed.devices.mattress.credentials as Creds;
    const payload = Buffer.concat([
      Buffer.from('{"state":"online","firmware":"2.'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const { client, err } = await rejectionOf(mat, statusTopic(mat.deviceId), payload);
    expect(err.code).toBe('MALFORMED_JSON');
    expect((await api.get(`/api/devices/${mat.deviceId}`)).body.status.firmware).toBe('2.4.2');
    await client.endAsync();
  });

  it.each(['__proto__', 'constructor'])('a %s key is an unknown field like any other', async (key) => {
    const btn = bed.devices.button.credentials as Creds;
    const eventId = `proto-${key.length}`;
    const { client, err } = await rejectionOf(
      btn,
      eventsTopic(btn.deviceId),
      `{"eventId":"${eventId}","type":"button.pressed","ts":${ts()},"${key}":{"isAdmin":true}}`,
    );
    expect(err).toEqual(expect.objectContaining({ code: 'INVALID_PAYLOAD', eventId }));
    expect(err.errors.map((e: any) => e.field)).toContain(key);
    expect((await api.get(`/api/devices/${btn.deviceId}/events`)).body.map((e: any) => e.eventId)).not.toContain(
      eventId,
    );
    await client.endAsync();
  });

  it('300 invalid samples get a short error: the first 20 field errors and a count', async () => {
    const mat = bed.devices.mattress.credentials as Creds;
    const samples = Array.from({ length: 300 }, () => ({ inBed: 'yes', heartRate: 999, respirationRate: -1 }));
    const payload = JSON.stringify({ ts: ts(), seq: 7, samples });
    const { client, err } = await rejectionOf(mat, telemetryTopic(mat.deviceId), payload);
    expect(err).toEqual(expect.objectContaining({ code: 'INVALID_PAYLOAD', seq: 7, errorCount: 900 }));
    expect(err.errors).toHaveLength(20);
    expect(JSON.stringify(err).length).toBeLessThan(payload.length);
    await client.endAsync();
  });
});
