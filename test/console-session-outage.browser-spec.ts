import { byTestId, signIn } from './browser-fixture';
import { consoleThroughOutage } from './console-outage-fixture';
import { press } from './provisional-fixture';

/**
 * A signed-in console through a PostgreSQL outage: reloaded while the database is stopped, it
 * stays signed in, its alarm stream goes live again and it shows an SOS pressed meanwhile as not
 * yet stored; a console that is not signed in is told why it cannot sign in now. Needs
 * `npm run build` first.
 */
jest.setTimeout(120_000);
const outage = consoleThroughOutage();

it('a console reloaded during the outage stays signed in and shows the call not yet stored', async () => {
  const { creds, client, user } = await outage.operatorBed('5-1', { username: 'outage-op', displayName: '夜班接线员' });
  const chrome = await outage.browser();
  const page = await chrome.newPage({ consoleErrors: false });
  await signIn(page, outage.hub.httpUrl, user);
  const stranger = await chrome.newPage({ consoleErrors: false });
  await stranger.goto(`${outage.hub.httpUrl}/`);
  await stranger.waitForSelector(byTestId('login-page'));

  await outage.pg.halt();
  await page.reload();
  await page.waitForSelector(`${byTestId('stream-status')}[data-status="live"]`, { timeout: 15_000 });
  expect(await page.locator(byTestId('login-page')).count()).toBe(0);

  const sos = press(client, creds, 'sos-reloaded');
  const card = `${byTestId('provisional-card')}[data-key="${creds.deviceId}/sos-reloaded"]`;
  await page.waitForSelector(card, { timeout: 5000 });
  expect(await page.textContent(card)).toContain('尚未入库');

  await stranger.fill(byTestId('login-username'), user.username);
  await stranger.fill(byTestId('login-password'), user.password);
  await stranger.click(byTestId('login-submit'));
  await stranger.waitForSelector(byTestId('login-error'));
  expect(await stranger.textContent(byTestId('login-error'))).toContain('数据库暂时无法访问');

  await outage.pg.resume();
  await sos.done;
  await page.waitForSelector(`${byTestId('queue-row')}[data-kind="sos"]`, { timeout: 30_000 });
  await page.waitForSelector(card, { state: 'detached', timeout: 30_000 });
  expect(await page.locator(byTestId('login-page')).count()).toBe(0);
});
