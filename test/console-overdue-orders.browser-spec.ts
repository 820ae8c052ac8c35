import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { ARTIFACTS, axeCheck, byTestId, ConsoleBrowser, requireBuiltConsole, signIn } from './browser-fixture';
import { buildTenant, passwordOf, type Api, type Tenant } from './tenant-fixture';

/**
 * Overdue work orders (异常工单) in a real browser (Debian's Chromium via playwright-core): with
 * key-holders and community workers expected on site within 3 s, a supervisor's queue page
 * counts and lists a late key-holder as soon as the hub flags it, with no reload; the alarm's
 * dispatch list shows each order's due time and marks the late ones live; arriving clears the
 * mark and the count; the wallboard counts late orders, highlighted, live. Screenshots go to
 * test-artifacts/. Needs `npm run build` first.
 */
let hub: HubProcess;
let admin: Api;
let tenant: Tenant;
let chrome: ConsoleBrowser;
let page: Page;

const count = (n: number) =>
  page.waitForSelector(`${byTestId('overdue-count')}[data-count="${n}"]`, { timeout: 15_000 });

beforeAll(async () => {
  requireBuiltConsole();
  hub = await startHub({ DISPATCH_OVERDUE_SWEEP_MS: '200' });
  admin = hubApi(hub);
  tenant = await buildTenant(hub, admin, 'Gulou');
  expect(
    (
      await admin.put(`/api/organisations/${tenant.org.id}/dispatch-expectations`, {
        expectations: [
          { responderType: 'keyholder', onSiteWithinS: 3, closeWithinS: 3600 },
          { responderType: 'community_worker', onSiteWithinS: 3, closeWithinS: 3600 },
        ],
      })
    ).status,
  ).toBe(200);
  chrome = await ConsoleBrowser.launch();
  page = await chrome.newPage({ bypassCSP: true });
  const username = tenant.users.supervisor.username;
  await signIn(page, hub.httpUrl, { username, password: passwordOf(username) });
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await hub?.dispose();
}, 30_000);

describe('overdue work orders in Chromium', () => {
  it('counts and lists a late responder live on the queue page', async () => {
    await count(0);
    expect(await page.$(byTestId('overdue-orders'))).toBeNull();

    const late = await admin.post(`/api/alarms/${tenant.alarm.id}/dispatches`, {
      responderType: 'keyholder',
      responderName: '张阿姨（邻居）',
    });
    expect(late.status).toBe(201);
    await count(1);
    const row = await page.waitForSelector(`${byTestId('overdue-order')}[data-dispatch-id="${late.body.id}"]`);
    const text = await row.innerText();
    expect(text).toContain('张阿姨（邻居）');
    expect(text).toContain('未按时到达');
    expect(await page.innerText(byTestId('overdue-count'))).toBe('异常工单 1');
    await page.screenshot({ path: join(ARTIFACTS, 'overdue-orders-queue.png'), fullPage: true });

    const { passed, violations } = await axeCheck(page);
    expect(passed).toBeGreaterThan(10);
    expect(violations).toEqual([]);
  }, 60_000);

  it("marks late orders on the alarm's dispatch list live, and arriving clears the mark and the count", async () => {
    await page.click(`${byTestId('overdue-order')} a`);
    await page.waitForSelector(byTestId('dispatch-panel'));
    const lateItem = `${byTestId('dispatch')}[data-overdue="true"]`;
    await page.waitForSelector(`${lateItem} ${byTestId('dispatch-overdue')}`);
    // The coded timeline note, worded in Chinese.
    await page.waitForFunction(() =>
      [...(globalThis as any).document.querySelectorAll('[data-testid="timeline-entry"]')].some(
        (e: { textContent: string | null }) => e.textContent?.includes('张阿姨（邻居）未按时到达'),
      ),
    );

    // A second order sent while the page is open: listed with its due time, then marked late live.
    const worker = await admin.post(`/api/alarms/${tenant.alarm.id}/dispatches`, {
      responderType: 'community_worker',
      responderName: '社区网格员小刘',
    });
    const item = `${byTestId('dispatch')}[data-dispatch-id="${worker.body.id}"]`;
    await page.waitForSelector(`${item}[data-overdue="false"] ${byTestId('dispatch-due')}`, { timeout: 5000 });
    await page.waitForSelector(`${item}[data-overdue="true"] ${byTestId('dispatch-overdue')}`, { timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'overdue-orders-alarm.png'), fullPage: true });
    const { passed, violations } = await axeCheck(page);
    expect(passed).toBeGreaterThan(10);
    expect(violations).toEqual([]);

    // The key-holder arrives: no longer late (the close-out is due in an hour).
    await page.click(
      `${byTestId('dispatch')}[data-dispatch-id="${await lateId()}"] ${byTestId('dispatch-set-on_site')}`,
    );
    await page.waitForSelector(`${byTestId('dispatch')}[data-dispatch-id="${await lateId()}"][data-overdue="false"]`);
    await page.click(byTestId('nav-queue'));
    await count(1);
    const rows = await page.$$eval(byTestId('overdue-order'), (els) =>
      els.map((e) => e.getAttribute('data-dispatch-id')),
    );
    expect(rows).toEqual([worker.body.id]);
    expect(chrome.errors).toEqual([]);
  }, 60_000);
});

describe('the wallboard figure in Chromium', () => {
  const figure = (n: number, tone: 'kpi-bad' | 'kpi-good', timeout = 15_000) =>
    page.waitForFunction(
      ([sel, text, cls]) => {
        const card = (globalThis as any).document.querySelector(sel);
        return card?.querySelector('.kpi-value')?.textContent === text && card.classList.contains(cls);
      },
      [byTestId('wb-overdue-orders'), String(n), tone] as const,
      { timeout },
    );

  it('counts late work orders, highlighted while any is late, and follows them live', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${hub.httpUrl}/wallboard`);
    await page.waitForSelector(byTestId('wallboard-queue'));
    // Counted from the hub's list of late orders, not from the wallboard's own query.
    const lateNow = ((await admin.get('/api/dispatches?overdue=true')).body as unknown[]).length;
    expect(lateNow).toBe(1);
    await figure(lateNow, 'kpi-bad');
    const card = await page.innerText(byTestId('wb-overdue-orders'));
    expect(card).toContain('异常工单');
    expect(card).toContain('在办工单 ');

    // Another late key-holder, with the page open: the figure follows without a reload.
    const late = await admin.post(`/api/alarms/${tenant.alarm.id}/dispatches`, {
      responderType: 'keyholder',
      responderName: '王师傅（楼长）',
    });
    expect(late.status).toBe(201);
    await waitFor(
      async () =>
        (
          (await admin.get(`/api/alarms/${tenant.alarm.id}/dispatches`)).body as {
            id: string;
            overdueAt: string | null;
          }[]
        ).find((d) => d.id === late.body.id)?.overdueAt,
      { timeoutMs: 15_000, what: 'the hub flagging the order late' },
    );
    // From the stream event, well before the page's 10 s refresh timer would have re-read it.
    await figure(2, 'kpi-bad', 2500);
    await page.screenshot({ path: join(ARTIFACTS, 'overdue-orders-wallboard-1440x900.png') });
    const { passed, violations } = await axeCheck(page);
    expect(passed).toBeGreaterThan(10);
    expect(violations).toEqual([]);

    // Both late responders arrive: none late, and the figure is no longer highlighted.
    const open = (await admin.get('/api/dispatches?overdue=true')).body as { id: string; alarmId: string }[];
    expect(open).toHaveLength(2);
    for (const d of open)
      expect(
        (await admin.post(`/api/alarms/${d.alarmId}/dispatches/${d.id}/status`, { status: 'on_site' })).status,
      ).toBe(201);
    await figure(0, 'kpi-good', 2500);
    expect(chrome.errors).toEqual([]);
  }, 60_000);
});

describe('dispatch time limits in Chromium', () => {
  it('a supervisor reads and changes them on the action plans page', async () => {
    // At this width the plans page may sit in the "more" menu.
    if (!(await page.isVisible(byTestId('nav-plans')))) await page.click(byTestId('nav-more'));
    await page.click(byTestId('nav-plans'));
    const panel = await page.waitForSelector(byTestId('dispatch-expectations'));
    expect(await page.inputValue(byTestId('expectation-keyholder-on-site'))).toBe('0.05');
    expect(await page.inputValue(byTestId('expectation-ambulance-on-site'))).toBe('20');
    expect(await page.inputValue(byTestId('expectation-ambulance-close'))).toBe('60');
    expect(await (await page.$(byTestId('expectation-ambulance')))!.innerText()).toContain('默认');

    await page.fill(byTestId('expectation-ambulance-on-site'), '15');
    await page.fill(byTestId('expectation-ambulance-close'), '');
    await page.click(byTestId('expectations-save'));
    await page.waitForSelector(byTestId('expectations-saved'));
    const stored = (await admin.get(`/api/organisations/${tenant.org.id}/dispatch-expectations`)).body.expectations;
    expect(stored).toContainEqual({
      responderType: 'ambulance',
      onSiteWithinS: 900,
      closeWithinS: null,
      isDefault: false,
    });
    expect(stored).toContainEqual({
      responderType: 'keyholder',
      onSiteWithinS: 3,
      closeWithinS: 3600,
      isDefault: false,
    });
    await panel.screenshot({ path: join(ARTIFACTS, 'dispatch-time-limits.png') });
    const { passed, violations } = await axeCheck(page);
    expect(passed).toBeGreaterThan(10);
    expect(violations).toEqual([]);
    expect(chrome.errors).toEqual([]);
  }, 60_000);
});

/** The key-holder's order flagged in the first test (the fixture's own one is not late). */
async function lateId(): Promise<string> {
  const ds = (await admin.get(`/api/alarms/${tenant.alarm.id}/dispatches`)).body as {
    id: string;
    responderName: string;
  }[];
  return ds.find((d) => d.responderName === '张阿姨（邻居）')!.id;
}
