import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startHub, startPostgres, type HubProcess, type PostgresServer } from '@bedside/testing';
import { ConsoleBrowser, byTestId, requireBuiltConsole, signIn } from './browser-fixture';
import { connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf } from './tenant-fixture';

/**
 * A signed-in console through a PostgreSQL outage: reloaded while the database is stopped, it
 * stays signed in, its alarm stream goes live again and it shows an SOS pressed meanwhile as not
 * yet stored; a console that is not signed in is told why it cannot sign in now. Needs
 * `npm run build` first.
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

it('a console reloaded during the outage stays signed in and shows the call not yet stored', async () => {
  const api = hubApi(hub);
  const p = await api.provisionBed('5-1');
  expect((await api.put(`/api/beds/${p.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
  const username = 'outage-op';
  expect(
    (
      await api.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: '夜班接线员',
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
  const page = await chrome.newPage({ consoleErrors: false });
  await signIn(page, hub.httpUrl, { username, password: passwordOf(username) });
  const stranger = await chrome.newPage({ consoleErrors: false });
  await stranger.goto(`${hub.httpUrl}/`);
  await stranger.waitForSelector(byTestId('login-page'));

  await pg.halt();
  await page.reload();
  await page.waitForSelector(`${byTestId('stream-status')}[data-status="live"]`, { timeout: 15_000 });
  expect(await page.locator(byTestId('login-page')).count()).toBe(0);

  const pressed = client.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId: 'sos-reloaded', type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  const card = `${byTestId('provisional-card')}[data-key="${creds.deviceId}/sos-reloaded"]`;
  await page.waitForSelector(card, { timeout: 5000 });
  expect(await page.textContent(card)).toContain('尚未入库');

  await stranger.fill(byTestId('login-username'), username);
  await stranger.fill(byTestId('login-password'), passwordOf(username));
  await stranger.click(byTestId('login-submit'));
  await stranger.waitForSelector(byTestId('login-error'));
  expect(await stranger.textContent(byTestId('login-error'))).toContain('数据库暂时无法访问');

  await pg.resume();
  await pressed;
  await page.waitForSelector(`${byTestId('queue-row')}[data-kind="sos"]`, { timeout: 30_000 });
  await page.waitForSelector(card, { state: 'detached', timeout: 30_000 });
  expect(await page.locator(byTestId('login-page')).count()).toBe(0);
});
