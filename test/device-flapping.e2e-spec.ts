import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { closed, connectDevice, type Creds } from './mqtt-helpers';

/**
 * Offline without false pages. With a 1 s offline grace: a device the hub kicks for a protocol
 * violation (its Last Will published each time) and that reconnects every 2 s raises one
 * device_offline alarm, not one per drop; and a hub stopped with SIGTERM and started again
 * leaves no device offline and raises no device_offline alarm (it is the hub that went away).
 */
const GRACE_MS = 1000;
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
const clients: MqttClient[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  hub = await startHub();
  api = hubApi(hub);
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.end(true));
  await hub?.dispose();
});

async function bedWithShortGrace(label: string) {
  const p = await api.provisionBed(label);
  const put = await api.put(`/api/beds/${(p.bed as { id: string }).id}/rules`, {
    deviceOffline: { graceMs: GRACE_MS, clearAfterMs: 60_000 },
  });
  expect(put.status).toBe(200);
  return p;
}

async function online(creds: Creds): Promise<MqttClient> {
  const c = await connectDevice(hub.mqttUrl, creds);
  clients.push(c);
  await c.publishAsync(
    telemetryTopic(creds.deviceId),
    JSON.stringify({ ts: Date.now(), seq: 1, samples: [{ inBed: true, heartRate: 60, respirationRate: 14 }] }),
    { qos: 1 },
  );
  return c;
}

const offlineAlarms = async (bedId: string) =>
  (await api.get(`/api/alarms?bedId=${bedId}&kind=device_offline`)).body as { subject: string; state: string }[];

it('a device kicked and reconnecting every 2 s raises one device_offline alarm', async () => {
  const p = await bedWithShortGrace('flapping');
  const creds = p.devices.mattress.credentials as Creds;
  const other = p.devices.button.credentials as Creds;
  for (let i = 0; i < 6; i++) {
    const c = await online(creds);
    await sleep(300);
    // A publish to another device's topic: the hub closes the connection and publishes the will.
    c.publish(telemetryTopic(other.deviceId), '{}', { qos: 1 });
    await closed(c);
    await sleep(1700 - 300); // away longer than the grace
  }
  await online(creds);
  await sleep(GRACE_MS + 500);
  const alarms = await offlineAlarms((p.bed as { id: string }).id);
  expect(alarms).toHaveLength(1);
  expect(alarms[0]).toEqual(expect.objectContaining({ subject: creds.deviceId }));
}, 60_000);

it('a hub stopped with SIGTERM raises no device_offline alarm and leaves its devices online', async () => {
  const beds = await Promise.all([0, 1, 2].map((i) => bedWithShortGrace(`restart-${i}`)));
  const devices = beds.map((b) => b.devices.mattress.credentials as Creds);
  const connected = await Promise.all(devices.map((d) => online(d)));
  await sleep(500);

  await hub.stop();
  connected.forEach((c) => c.end(true));
  await sleep(GRACE_MS + 500); // the restart takes longer than the grace
  await hub.restart();
  await waitFor(async () => (await fetch(`${hub.httpUrl}/health/ready`)).status === 200, {
    what: 'hub ready after restart',
    timeoutMs: 20_000,
  });
  // Nothing was stored as offline: the Last Wills were not published and no disconnect recorded.
  for (const d of devices) {
    const device = (await api.get(`/api/devices/${d.deviceId}`)).body as { status: { online: boolean } };
    expect(device.status.online).toBe(true);
  }
  await Promise.all(devices.map((d) => online(d)));
  await sleep(GRACE_MS + 1000);
  for (const b of beds) expect(await offlineAlarms((b.bed as { id: string }).id)).toEqual([]);
}, 90_000);
