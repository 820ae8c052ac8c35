import { connect as tcpConnect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { eventsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { closed, connectDevice, listenDownlinks, type Creds } from './mqtt-helpers';

const now = () => Date.now();
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let bed: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;
let other: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;

beforeAll(async () => {
  hub = await startHub({ MQTT_MAX_PACKET_BYTES: '8192', MQTT_AUTH_FAILURES_MAX: '50' });
  api = hubApi(hub);
  bed = await api.provisionBed('a');
  other = await api.provisionBed('b');
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

const metric = async (name: string, labels: string): Promise<number> => {
  const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('provision -> connect -> publish -> stored', () => {
  it('stores telemetry and a QoS 1 event, both readable over REST', async () => {
    const mat = bed.devices.mattress.credentials as Creds;
    const client = await connectDevice(hub.mqttUrl, mat);
    const down = await listenDownlinks(client, mat.deviceId);
    const t0 = now() - 5000;
    await client.publishAsync(
      telemetryTopic(mat.deviceId),
      JSON.stringify({
        ts: t0 + 2000,
        seq: 1,
        samples: [
          { ts: t0, inBed: true, heartRate: 62, respirationRate: 14, movement: 3, signalQuality: 95 },
          { ts: t0 + 1000, inBed: true, heartRate: 63, respirationRate: 15, movement: 2, signalQuality: 94 },
        ],
      }),
      { qos: 1 },
    );
    await client.publishAsync(
      eventsTopic(mat.deviceId),
      JSON.stringify({ eventId: 'evt-1', type: 'bed.exit', ts: t0 + 1500 }),
      { qos: 1 },
    );

    const telemetry = await api.get(`/api/devices/${mat.deviceId}/telemetry?from=${new Date(t0 - 1000).toISOString()}`);
    expect(telemetry.status).toBe(200);
    expect(telemetry.body).toEqual([
      expect.objectContaining({
        deviceId: mat.deviceId,
        bedId: bed.bed.id,
        ts: t0,
        heartRate: 62,
        respirationRate: 14,
        inBed: true,
        seq: 1,
      }),
      expect.objectContaining({ ts: t0 + 1000, heartRate: 63 }),
    ]);
    const events = await api.get(`/api/devices/${mat.deviceId}/events?from=${new Date(t0 - 1000).toISOString()}`);
    expect(events.body).toEqual([expect.objectContaining({ eventId: 'evt-1', type: 'bed.exit', bedId: bed.bed.id })]);
    await waitFor(() => down.acks.find((a) => a.eventId === 'evt-1'), { what: 'ack for evt-1' });
    expect(down.acks.find((a) => a.eventId === 'evt-1').status).toBe('stored');
    await client.endAsync();
  });

  it('stores an event exactly once when the device redelivers it (same packet id, DUP set)', async () => {
    const btn = bed.devices.button.credentials as Creds;
    const socket = tcpConnect(hub.mqttPort, '127.0.0.1');
    const parser = mqttPacket.parser();
    const packets: any[] = [];
    parser.on('packet', (p) => packets.push(p));
    socket.on('data', (d) => parser.parse(d));
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId: btn.mqtt.clientId,
        username: btn.mqtt.username,
        password: Buffer.from(btn.mqtt.password),
        keepalive: 30,
      }),
    );
    await waitFor(() => packets.find((p) => p.cmd === 'connack'), { what: 'connack' });
    expect(packets.find((p) => p.cmd === 'connack').returnCode).toBe(0);
    const payload = JSON.stringify({ eventId: 'press-42', type: 'button.pressed', ts: now() });
    const publish = {
      cmd: 'publish' as const,
      topic: eventsTopic(btn.deviceId),
      payload,
      qos: 1 as const,
      messageId: 7,
      retain: false,
      dup: false,
    };
    socket.write(mqttPacket.generate(publish));
    socket.write(mqttPacket.generate({ ...publish, dup: true })); // as after a lost PUBACK (MQTT 3.1.1 §4.4)
    await waitFor(() => packets.filter((p) => p.cmd === 'puback').length === 2, { what: 'two PUBACKs' });
    socket.end();

    const events = await api.get(`/api/devices/${btn.deviceId}/events?from=${new Date(now() - 60_000).toISOString()}`);
    expect(events.body.filter((e: any) => e.eventId === 'press-42')).toHaveLength(1);
    expect(await metric('bedside_mqtt_messages_duplicate_total', 'channel="events"')).toBeGreaterThanOrEqual(1);
  });

  it('keeps device status from the status topic and marks the device offline through its Last Will', async () => {
    const wear = bed.devices.wearable.credentials as Creds;
    const client = await connectDevice(hub.mqttUrl, wear);
    await client.publishAsync(
      statusTopic(wear.deviceId),
      JSON.stringify({ state: 'online', ts: now(), firmware: '3.1.4', battery: 77, rssi: -61 }),
      { qos: 1, retain: true },
    );
    let device = (await api.get(`/api/devices/${wear.deviceId}`)).body;
    expect(device.status).toEqual(expect.objectContaining({ online: true, firmware: '3.1.4', battery: 77, rssi: -61 }));
    (client as any).stream.destroy(); // vanish without DISCONNECT: the broker publishes the will
    await waitFor(async () => !(await api.get(`/api/devices/${wear.deviceId}`)).body.status.online, {
      what: 'device offline',
    });
    device = (await api.get(`/api/devices/${wear.deviceId}`)).body;
    expect(device.status.lastSeenAt).not.toBeNull();
    client.end(true);
  });
});

describe('authentication', () => {
  const refusal = async (creds: Creds, override: { username?: string; password?: string; clientId?: string }) => {
    const err = await connectDevice(hub.mqttUrl, creds, override).then(
      (c) => {
        c.end(true);
        return null;
      },
      (e) => e,
    );
    expect(err).not.toBeNull();
    return (err as { code?: number }).code;
  };

  it('refuses a wrong password', async () => {
    expect(await refusal(bed.devices.mattress.credentials, { password: 'not-the-secret' })).toBe(4);
  });

  it('refuses an unknown device', async () => {
    expect(
      await refusal(bed.devices.mattress.credentials, { username: 'mattress-nobody', clientId: 'mattress-nobody' }),
    ).toBe(5);
  });

  it('refuses a clientId that differs from the username', async () => {
    expect(await refusal(bed.devices.mattress.credentials, { clientId: 'someone-else' })).toBe(2);
  });

  it('refuses anonymous access', async () => {
    expect(await refusal(bed.devices.mattress.credentials, { username: undefined, password: undefined })).toBe(4);
  });

  it('revoking a device drops its live connection and refuses it afterwards; rotation issues a working secret', async () => {
    const extra = await api.post('/api/devices', {
      organisationId: bed.org.id,
      kind: 'button',
      serial: `revoke-${now()}`,
      model: 'B1',
    });
    const creds = extra.body.credentials as Creds;
    const client = await connectDevice(hub.mqttUrl, creds);
    const gone = closed(client);
    expect((await api.post(`/api/devices/${creds.deviceId}/revoke`)).status).toBe(200);
    await gone;
    expect(await refusal(creds, {})).toBe(5);
    const rotated = await api.post(`/api/devices/${creds.deviceId}/credentials`);
    expect(rotated.status).toBe(200);
    expect(await refusal(creds, {})).toBe(4); // the old secret is dead
    const again = await connectDevice(hub.mqttUrl, rotated.body.credentials);
    await again.endAsync();
  }, 20_000);
});

describe('topic ACL', () => {
  it('refuses # and $SYS/# subscriptions and delivers nothing of other devices', async () => {
    const mine = bed.devices.wearable.credentials as Creds;
    const theirs = other.devices.wearable.credentials as Creds;
    const spy = await connectDevice(hub.mqttUrl, mine);
    const seen: string[] = [];
    spy.on('message', (t) => seen.push(t));
    // MQTT.js reports a SUBACK failure code (0x80, MQTT 3.1.1 §3.9.3) as an error carrying the packet.
    const granted = await new Promise<number[]>((resolve) =>
      spy.subscribe(
        [
          '#',
          '$SYS/#',
          'bedside/v1/devices/+/telemetry',
          `bedside/v1/devices/${theirs.deviceId}/acks`,
          `bedside/v1/devices/${mine.deviceId}/acks`,
        ],
        (err, g) =>
          resolve(
            err ? (err as unknown as { packet: { granted: number[] } }).packet.granted : (g ?? []).map((x) => x.qos),
          ),
      ),
    );
    expect(granted).toEqual([128, 128, 128, 128, 0]);

    const victim = await connectDevice(hub.mqttUrl, theirs);
    await victim.publishAsync(
      telemetryTopic(theirs.deviceId),
      JSON.stringify({ ts: now(), seq: 1, samples: [{ heartRate: 70, spo2: 97 }] }),
      { qos: 1 },
    );
    await victim.publishAsync(
      eventsTopic(theirs.deviceId),
      JSON.stringify({ eventId: 'w-1', type: 'wearable.worn', ts: now() }),
      { qos: 1 },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    await Promise.all([spy.endAsync(), victim.endAsync()]);
  });

  it("closes a device that publishes to another device's topic, after telling it why", async () => {
    const mine = bed.devices.mattress.credentials as Creds;
    const theirs = other.devices.mattress.credentials as Creds;
    const victim = await connectDevice(hub.mqttUrl, theirs);
    const victimSaw = await listenDownlinks(victim, theirs.deviceId);
    const attacker = await connectDevice(hub.mqttUrl, mine);
    const down = await listenDownlinks(attacker, mine.deviceId);
    const gone = closed(attacker);
    attacker.publish(
      `bedside/v1/devices/${theirs.deviceId}/commands`,
      JSON.stringify({ commandId: 'x', type: 'reboot', ts: now() }),
      { qos: 1 },
    );
    attacker.publish(
      telemetryTopic(theirs.deviceId),
      JSON.stringify({ ts: now(), seq: 9, samples: [{ inBed: false }] }),
      { qos: 1 },
    );
    await gone;
    expect(down.errors[0]).toEqual(
      expect.objectContaining({ code: 'TOPIC_NOT_ALLOWED', topic: `bedside/v1/devices/${theirs.deviceId}/commands` }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(victimSaw.all).toEqual([]);
    const stored = await api.get(
      `/api/devices/${theirs.deviceId}/telemetry?from=${new Date(now() - 60_000).toISOString()}`,
    );
    expect(stored.body.filter((p: any) => p.seq === 9)).toEqual([]);
    expect(await metric('bedside_mqtt_acl_denials_total', 'action="publish"')).toBeGreaterThanOrEqual(1);
    await victim.endAsync();
  });
});

describe('bad input', () => {
  const cases: [string, string | Buffer, string, RegExp][] = [
    ['malformed JSON', '{"ts": 1, "seq":', 'MALFORMED_JSON', /not valid JSON/],
    [
      'wrong type',
      JSON.stringify({ ts: Date.now(), seq: 'one', samples: [{ inBed: true }] }),
      'INVALID_PAYLOAD',
      /seq/,
    ],
    [
      'out of range',
      JSON.stringify({ ts: Date.now(), seq: 1, samples: [{ inBed: true, heartRate: 400 }] }),
      'INVALID_PAYLOAD',
      /samples\[0\]\.heartRate/,
    ],
    ['missing field', JSON.stringify({ seq: 1, samples: [{ inBed: true }] }), 'INVALID_PAYLOAD', /ts/],
    [
      'unknown field',
      JSON.stringify({ ts: Date.now(), seq: 1, samples: [{ inBed: true, hartRate: 60 }] }),
      'INVALID_PAYLOAD',
      /hartRate/,
    ],
  ];

  it.each(cases)('%s: error on the errors topic naming the problem, counted', async (_name, payload, code, pattern) => {
    const mat = bed.devices.mattress.credentials as Creds;
    const before = await metric('bedside_mqtt_messages_rejected_total', `reason="${code}"`);
    const client = await connectDevice(hub.mqttUrl, mat);
    const down = await listenDownlinks(client, mat.deviceId);
    await client.publishAsync(telemetryTopic(mat.deviceId), payload, { qos: 1 });
    const err = await waitFor(() => down.errors[0], { what: 'error message' });
    expect(err.code).toBe(code);
    expect(err.topic).toBe(telemetryTopic(mat.deviceId));
    expect(JSON.stringify(err.errors) + err.message).toMatch(pattern);
    expect(client.connected).toBe(true);
    expect(await metric('bedside_mqtt_messages_rejected_total', `reason="${code}"`)).toBe(before + 1);
    await client.endAsync();
  });

  it('an event type the device kind cannot send is refused by name', async () => {
    const btn = bed.devices.button.credentials as Creds;
    const client = await connectDevice(hub.mqttUrl, btn);
    const down = await listenDownlinks(client, btn.deviceId);
    await client.publishAsync(
      eventsTopic(btn.deviceId),
      JSON.stringify({ eventId: 'f1', type: 'fall.detected', ts: now() }),
      { qos: 1 },
    );
    const err = await waitFor(() => down.errors[0], { what: 'error message' });
    expect(err).toEqual(expect.objectContaining({ code: 'EVENT_NOT_ALLOWED', eventId: 'f1' }));
    await client.endAsync();
  });

  it('an oversized packet is refused before it is buffered: error, connection closed, others unaffected', async () => {
    const mat = bed.devices.mattress.credentials as Creds;
    const wear = other.devices.wearable.credentials as Creds;
    const bystander = await connectDevice(hub.mqttUrl, wear);
    const client = await connectDevice(hub.mqttUrl, mat);
    const down = await listenDownlinks(client, mat.deviceId);
    const gone = closed(client);
    client.publish(telemetryTopic(mat.deviceId), Buffer.alloc(20_000, 0x20), { qos: 1 });
    await gone;
    expect(down.errors).toEqual([expect.objectContaining({ code: 'PACKET_TOO_LARGE' })]);
    expect(down.errors[0].message).toMatch(/exceeds the limit of 8192 bytes/);
    expect(await metric('bedside_mqtt_messages_rejected_total', 'reason="PACKET_TOO_LARGE"')).toBeGreaterThanOrEqual(1);
    // The hub still serves everyone else.
    await bystander.publishAsync(
      telemetryTopic(wear.deviceId),
      JSON.stringify({ ts: now(), seq: 100, samples: [{ heartRate: 71 }] }),
      { qos: 1 },
    );
    const stored = await api.get(
      `/api/devices/${wear.deviceId}/telemetry?from=${new Date(now() - 60_000).toISOString()}`,
    );
    expect(stored.body.some((p: any) => p.seq === 100)).toBe(true);
    expect((await fetch(`${hub.httpUrl}/health`)).status).toBe(200);
    await bystander.endAsync();
  });

  it('records rejections per device and reason for installers', async () => {
    const mat = bed.devices.mattress.credentials as Creds;
    const r = await api.get(`/api/devices/${mat.deviceId}/rejections`);
    expect(r.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'MALFORMED_JSON', count: 1 }),
        expect.objectContaining({ code: 'INVALID_PAYLOAD', count: 4 }),
      ]),
    );
  });
});

describe('commands', () => {
  it('sends a command to a connected device on its commands topic, and refuses one for an absent device', async () => {
    const btn = other.devices.button.credentials as Creds;
    expect((await api.post(`/api/devices/${btn.deviceId}/commands`, { type: 'ring', seconds: 10 })).status).toBe(409);
    const client = await connectDevice(hub.mqttUrl, btn);
    const got: any[] = [];
    client.on('message', (topic, payload) => topic.endsWith('/commands') && got.push(JSON.parse(payload.toString())));
    await client.subscribeAsync(`bedside/v1/devices/${btn.deviceId}/commands`, { qos: 1 });
    const sent = await api.post(`/api/devices/${btn.deviceId}/commands`, { type: 'ring', seconds: 10 });
    expect(sent.status).toBe(202);
    await waitFor(() => got.length === 1, { what: 'command delivered' });
    expect(got[0]).toEqual(
      expect.objectContaining({ commandId: sent.body.commandId, type: 'ring', params: { seconds: 10 } }),
    );
    expect((await api.post(`/api/devices/${btn.deviceId}/commands`, { type: 'ring', seconds: 500 })).status).toBe(400);
    expect((await api.post(`/api/devices/${btn.deviceId}/commands`, { type: 'reboot', seconds: 5 })).status).toBe(400);
    expect((await api.post(`/api/devices/${btn.deviceId}/commands`, { type: 'explode' })).status).toBe(400);
    await client.endAsync();
  });
});

describe('REST edge', () => {
  it('needs credentials', async () => {
    const res = await fetch(`${hub.httpUrl}/api/devices`);
    expect(res.status).toBe(401);
  });

  it('rejects bad bodies with the offending field', async () => {
    const r = await api.post('/api/devices', {
      organisationId: bed.org.id,
      kind: 'toaster',
      serial: '',
      model: 'x',
      extra: 1,
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/kind/);
    expect(r.body.message).toMatch(/serial/);
    expect(r.body.message).toMatch(/extra/);
    // A record reference is checked first, by the authorization guard, before anything else of the body.
    const ref = await api.post('/api/devices', { organisationId: 'nope', kind: 'button', serial: 'S-1', model: 'x' });
    expect([ref.status, ref.body.message]).toEqual([400, 'organisationId must be a UUID']);
  });

  it('refuses a duplicate serial with 409 and an unknown device with 404', async () => {
    const serial = bed.devices.mattress.device.serial;
    expect(
      (await api.post('/api/devices', { organisationId: bed.org.id, kind: 'mattress', serial, model: 'M' })).status,
    ).toBe(409);
    expect((await api.get('/api/devices/mattress-doesnotexist')).status).toBe(404);
  });

  it('serves the OpenAPI document and health', async () => {
    const doc = (await (await fetch(`${hub.httpUrl}/api/openapi.json`)).json()) as any;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/devices', '/api/households', '/health']));
    const health = (await (await fetch(`${hub.httpUrl}/health`)).json()) as any;
    expect(health.checks.database.reachable).toBe(true);
    expect(health.checks.broker.listening).toBe(true);
  });
});
