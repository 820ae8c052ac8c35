import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { closed, connectDevice, type Creds } from './mqtt-helpers';

/**
 * Offline without false pages. With a 1 s offline grace: a device the hub kicks for a protocol
 * violation (its Last Will published each time) and that reconnects every 2 s raises one
 * device_offline alarm, not one per drop, with each later drop counted on it; and a hub stopped with SIGTERM and started again
 * leaves no device offline and raises no device_offline alarm (it is the hub that went away).
 */
const GRACE_MS = 1000;
const DROPS = 6;
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
  (await api.get(`/api/alarms?bedId=${bedId}&kind=device_offline`)).body as {
    id: string;
    subject: string;
    state: string;
    repeatCount: number;
  }[];

it('a device kicked and reconnecting every 2 s raises one device_offline alarm', async () => {
  const p = await bedWithShortGrace('flapping');
  const creds = p.devices.mattress.credentials as Creds;
  const other = p.devices.button.credentials as Creds;
  for (let i = 0; i < DROPS; i++) {
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
  // The first drop raised it; each of the five later ones is counted on it.
  expect(alarms[0]).toEqual(expect.objectContaining({ subject: creds.deviceId, repeatCount: DROPS - 1 }));
  const detail = (await api.get(`/api/alarms/${alarms[0].id}`)).body as {
    timeline: { action: string; code: string | null; params: Record<string, unknown> | null }[];
  };
  const repeats = detail.timeline.filter((e) => e.code === 'rule.offline_repeat');
  expect(repeats.map((e) => [e.action, e.params?.repeat, e.params?.offlineReason])).toEqual(
    Array.from({ length: DROPS - 1 }, (_, i) => ['update', i + 1, 'offline_last_will']),
  );
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
