import { join } from 'node:path';
import { waitFor } from '@bedside/testing';
import { ARTIFACTS, axeCheck, byTestId, signIn, tonesSince } from './browser-fixture';
import { consoleThroughOutage } from './console-outage-fixture';
import { press } from './provisional-fixture';

/**
 * An SOS pressed while PostgreSQL is stopped, on the console: a card above the queue, apart from
 * the alarms ("尚未入库" / "Not yet stored", who, when), sounding, axe-clean, which gives way to the one
 * stored SOS alarm when the database is back. Needs `npm run build` first; the screenshot goes
 * to test-artifacts/.
 */
jest.setTimeout(120_000);
const outage = consoleThroughOutage();

it('shows the call as not yet stored, then as the stored alarm', async () => {
  const { creds, client, user } = await outage.operatorBed(
    '3-2',
    { username: 'provisional-op', displayName: '李接线员' },
    { residentName: '王秀英' },
  );
  const chrome = await outage.browser();
  const page = await chrome.newPage({
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    consoleErrors: false,
    recordTones: true,
  });
  await signIn(page, outage.hub.httpUrl, user);

  await outage.pg.halt();
  const before = Date.now();
  const sos = press(client, creds, 'sos-browser');
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

  await outage.pg.resume();
  await sos.done;
  await page.waitForSelector(`${byTestId('queue-row')}[data-kind="sos"]`, { timeout: 30_000 });
  await page.waitForSelector(card, { state: 'detached', timeout: 30_000 });
  expect(await page.locator(`${byTestId('queue-row')}[data-kind="sos"]`).count()).toBe(1);
  expect(await page.locator(byTestId('provisional-calls')).count()).toBe(0);
});
