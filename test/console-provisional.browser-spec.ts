import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startHub, startPostgres, waitFor, type HubProcess, type PostgresServer } from '@bedside/testing';
import {
  ARTIFACTS,
  ConsoleBrowser,
  axeCheck,
  byTestId,
  requireBuiltConsole,
  signIn,
  tonesSince,
} from './browser-fixture';
import { connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf } from './tenant-fixture';

/**
 * An SOS pressed while PostgreSQL is stopped, on the console: a card above the queue, apart from
 * the alarms ("尚未入库" / "Not yet stored", who, when), sounding, axe-clean, which gives way to the one
 * stored SOS alarm when the database is back. Needs `npm run build` first; the screenshot goes
 * to test-artifacts/.
 */
jest.setTimeout(120_000);
let pg: PostgresServer;
let hub: HubProcess;
let chrome: ConsoleBrowser | undefined;
let client: MqttClient | undefined;

beforeAll(async () => {
  requireBuiltConsole();
  pg = await startPostgres();
  hub = await startHub({ DATABASE_URL: await pg.createDatabase('hub') });
}, 90_000);

afterAll(async () => {
  await client?.endAsync(true);
  await chrome?.close();
  await hub?.dispose();
  await pg?.stop();
}, 30_000);

it('shows the call as not yet stored, then as the stored alarm', async () => {
  const api = hubApi(hub);
  const p = await api.provisionBed('3-2');
  expect((await api.put(`/api/beds/${p.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
  expect((await api.call('PATCH', `/api/residents/${p.resident.id}`, { name: '王秀英' })).status).toBe(200);
  const username = 'provisional-op';
  expect(
    (
      await api.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: '李接线员',
        role: 'operator',
        organisationId: p.org.id,
      })
    ).status,
  ).toBe(201);
  const creds = p.devices.button.credentials as Creds;
  client = await connectDevice(hub.mqttUrl, creds, {
    clean: false,
    reconnectPeriod: 250,
    reconnectOnConnackError: true,
  });
  chrome = await ConsoleBrowser.launch();
  const page = await chrome.newPage({
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    consoleErrors: false,
    recordTones: true,
  });
  await signIn(page, hub.httpUrl, { username, password: passwordOf(username) });

  await pg.halt();
  const before = Date.now();
  const pressed = client.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId: 'sos-browser', type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  const card = `${byTestId('provisional-card')}[data-key="${creds.deviceId}/sos-browser"]`;
  await page.waitForSelector(card, { timeout: 5000 });
  expect(await page.textContent(card)).toContain('尚未入库');
  expect(await page.textContent(`${card} ${byTestId('provisional-who')}`)).toBe('王秀英');
  expect(await page.textContent(card)).toContain('床位 3-2');
  expect(await page.locator(`${byTestId('queue-row')}[data-kind="sos"]`).count()).toBe(0); // not an alarm yet
  // Above the queue table.
  const cardBox = (await page.locator(card).boundingBox())!;
  const tableBox = (await page.locator(byTestId('queue')).boundingBox())!;
  expect(cardBox.y).toBeLessThan(tableBox.y);
  // Screen readers hear of it at once, with who and where.
  const announced = await page.textContent(byTestId('alarm-announcer'));
  expect(announced).toContain('尚未入库');
  expect(announced).toContain('王秀英');
  expect(await page.getAttribute(byTestId('alarm-announcer'), 'aria-live')).toBe('assertive');
  // It sounds like an unacknowledged critical alarm.
  await waitFor(async () => (await tonesSince(page, before, 'square')) > 0, {
    timeoutMs: 5000,
    what: 'the alert tone',
  });
  await page.screenshot({ path: join(ARTIFACTS, 'console-provisional-sos.png'), fullPage: true });
  const axe = await axeCheck(page);
  expect(axe.violations).toEqual([]);

  await page.click(byTestId('language-switch'));
  await page.waitForSelector(`${card} >> text=Not yet stored`);
  await page.screenshot({ path: join(ARTIFACTS, 'console-provisional-sos-en.png'), fullPage: true });
  await page.click(byTestId('language-switch'));

  await pg.resume();
  await pressed;
  await page.waitForSelector(`${byTestId('queue-row')}[data-kind="sos"]`, { timeout: 30_000 });
  await page.waitForSelector(card, { state: 'detached', timeout: 30_000 });
  expect(await page.locator(`${byTestId('queue-row')}[data-kind="sos"]`).count()).toBe(1);
  expect(await page.locator(byTestId('provisional-calls')).count()).toBe(0);
});
