import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsTopic } from '@bedside/contracts';
import { freePort, hubApi, startHub, type HubProcess } from '@bedside/testing';
import { connectDevice, listenDownlinks, type Creds } from './mqtt-helpers';

/** MQTT over TLS and over WebSocket reach the same authentication, ACL and ingest as TCP. */
let hub: HubProcess;
let dir: string;
let tlsPort: number;
let wsPort: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bedside-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'pipe' },
  );
  tlsPort = await freePort();
  wsPort = await freePort();
  hub = await startHub({
    MQTT_TLS_PORT: String(tlsPort),
    MQTT_WS_PORT: String(wsPort),
    TLS_CERT_FILE: join(dir, 'cert.pem'),
    TLS_KEY_FILE: join(dir, 'key.pem'),
  });
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['TLS', () => `mqtts://127.0.0.1:${tlsPort}`, () => ({ ca: readFileSync(join(dir, 'cert.pem')) })],
  ['WebSocket', () => `ws://127.0.0.1:${wsPort}/mqtt`, () => ({})],
])(
  'a device connects over %s, is authenticated, and its event is stored and acknowledged',
  async (_name, url, opts) => {
    const api = hubApi(hub);
    const { devices } = await api.provisionBed(`transport-${_name}`);
    const creds = devices.button.credentials as Creds;
    const refused = await connectDevice(url(), creds, { ...opts(), password: 'wrong' }).then(
      () => null,
      (e) => e,
    );
    expect(refused?.code).toBe(4);
    const client = await connectDevice(url(), creds, opts());
    const down = await listenDownlinks(client, creds.deviceId);
    await client.publishAsync(
      eventsTopic(creds.deviceId),
      JSON.stringify({ eventId: `t-${_name}`, type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    const events = (await api.get(`/api/devices/${creds.deviceId}/events`)).body;
    expect(events.map((e: any) => e.eventId)).toEqual([`t-${_name}`]);
    await new Promise((r) => setTimeout(r, 200));
    expect(down.acks.map((a) => a.status)).toContain('stored');
    await client.endAsync();
  },
);

it('refuses a device after repeated failed logins, even with the right secret, until the window passes', async () => {
  const { devices } = await hubApi(hub).provisionBed('throttle');
  const creds = devices.wearable.credentials as Creds;
  for (let i = 0; i < 5; i++)
    expect(
      (
        await connectDevice(hub.mqttUrl, creds, { password: `guess-${i}` }).then(
          () => null,
          (e) => e,
        )
      )?.code,
    ).toBe(4);
  expect(
    (
      await connectDevice(hub.mqttUrl, creds).then(
        () => null,
        (e) => e,
      )
    )?.code,
  ).toBe(5);
  const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  expect(text).toMatch(/bedside_mqtt_auth_failures_total\{reason="throttled"\} [1-9]/);
});
