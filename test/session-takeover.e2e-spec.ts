import { statusTopic } from '@bedside/contracts';
import { waitFor, type HubProcess, type hubApi } from '@bedside/testing';
import { connectDevice, startHubWithWebSocket, type Creds } from './mqtt-helpers';

/**
 * A device that reconnects while the hub still holds its old connection takes the session over
 * (MQTT 3.1.1 §3.1.4-2). The old connection's Last Will must not be published: it would mark the
 * device offline and page an operator for a device that never went away.
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

describe.each([
  ['TCP', () => hub.mqttUrl],
  ['WebSocket', () => `ws://127.0.0.1:${wsPort}/mqtt`],
])('over %s', (transport, url) => {
  it('reconnecting ten times takes the session over without a Last Will, an offline status or an alarm', async () => {
    const bed = await api.provisionBed(`takeover-${transport}`);
    const wear = bed.devices.wearable.credentials as Creds;
    const watcher = await connectDevice(url(), bed.devices.mattress.credentials as Creds);
    let current = await connectDevice(url(), wear);
    // The retained status a new subscriber would see is the device's own, never the will.
    await current.publishAsync(statusTopic(wear.deviceId), JSON.stringify({ state: 'online', ts: Date.now() }), {
      qos: 1,
      retain: true,
    });
    for (let i = 0; i < 10; i++) {
      const old = current;
      const oldClosed = new Promise<void>((r) => old.once('close', () => r()));
      current = await connectDevice(url(), wear);
      await oldClosed;
      old.end(true);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const device = (await api.get(`/api/devices/${wear.deviceId}`)).body;
    expect(device.status.online).toBe(true);
    const alarms = (await api.get(`/api/alarms?bedId=${bed.bed.id}`)).body;
    expect(alarms.filter((a: any) => a.kind === 'device_offline')).toEqual([]);

    // A real departure still publishes the will.
    (current as any).stream.destroy();
    await waitFor(async () => !(await api.get(`/api/devices/${wear.deviceId}`)).body.status.online, {
      what: 'offline after the will',
    });
    current.end(true);
    await watcher.endAsync();
  }, 30_000);
});
