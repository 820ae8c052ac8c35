import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { ARTIFACTS, ConsoleBrowser, requireBuiltConsole, signIn } from './browser-fixture';
import { closed, connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf } from './tenant-fixture';

/**
 * A flapping device's one offline alarm on the console's alarm detail, in Chinese and English:
 * the count of times it went offline again while the alarm was open, and one timeline line per
 * repeat. A mattress is kicked for a protocol violation and reconnects every 2 s with a 1 s
 * offline grace. Needs `npm run build` first; the screenshot goes to test-artifacts/.
 */
const DROPS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let hub: HubProcess;
let chrome: ConsoleBrowser | undefined;
const clients: MqttClient[] = [];

beforeAll(async () => {
  requireBuiltConsole();
  hub = await startHub();
}, 60_000);

afterAll(async () => {
  clients.forEach((c) => c.end(true));
  await chrome?.close();
  await hub?.dispose();
}, 30_000);

it('shows how many times the device went offline again, in either language', async () => {
  const api = hubApi(hub);
  const p = await api.provisionBed('flapping');
  const bedId = (p.bed as { id: string }).id;
  expect(
    (await api.put(`/api/beds/${bedId}/rules`, { deviceOffline: { graceMs: 1000, clearAfterMs: 60_000 } })).status,
  ).toBe(200);
  const username = 'offline-sup';
  expect(
    (
      await api.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: '周主任',
        role: 'supervisor',
        organisationId: (p.org as { id: string }).id,
      })
    ).status,
  ).toBe(201);
  const creds = p.devices.mattress.credentials as Creds;
  const other = p.devices.button.credentials as Creds;
  for (let i = 0; i < DROPS; i++) {
    const c = await connectDevice(hub.mqttUrl, creds);
    clients.push(c);
    const sample = { ts: Date.now(), seq: i + 1, samples: [{ inBed: true, heartRate: 60, respirationRate: 14 }] };
    await c.publishAsync(telemetryTopic(creds.deviceId), JSON.stringify(sample), { qos: 1 });
    await sleep(300);
    c.publish(telemetryTopic(other.deviceId), '{}', { qos: 1 }); // not its topic: the hub closes it
    await closed(c);
    await sleep(1500); // away longer than the grace
  }
  const alarms = (await api.get(`/api/alarms?bedId=${bedId}&kind=device_offline`)).body as {
    id: string;
    repeatCount: number;
  }[];
  expect(alarms.map((a) => a.repeatCount)).toEqual([DROPS - 1]);

  chrome = await ConsoleBrowser.launch();
  const page = await chrome.newPage({ viewport: { width: 1280, height: 1000 } });
  await signIn(page, hub.httpUrl, { username, password: passwordOf(username) }, 'queue');
  await page.goto(`${hub.httpUrl}/alarms/${alarms[0].id}`);
  await page.waitForSelector(`[data-testid="offline-repeats"][data-count="${DROPS - 1}"]`);
  expect(await page.textContent('[data-testid="offline-repeats"]')).toBe(`告警期间 ${DROPS - 1} 次`);
  for (let n = 1; n < DROPS; n++) await page.waitForSelector(`text=床垫传感器再次离线（告警期间第 ${n} 次）`);
  await page.screenshot({ path: join(ARTIFACTS, 'alarm-offline-repeats.png'), fullPage: true });

  await page.click('[data-testid="language-switch"]');
  await page.waitForSelector(`text=${DROPS - 1} times while this alarm was open`);
  for (let n = 1; n < DROPS; n++)
    await page.waitForSelector(`text=Mattress sensor offline again (${n}× while this alarm was open)`);
  expect(chrome.errors).toEqual([]);
}, 90_000);
