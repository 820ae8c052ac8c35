import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import {
  ARTIFACTS,
  axeCheck,
  byTestId,
  ConsoleBrowser,
  requireBuiltConsole,
  signIn as signInPage,
  type ConsolePageOptions,
} from './browser-fixture';
import { connectDevice, type Creds } from './mqtt-helpers';
import { signIn as apiSignIn } from './tenant-fixture';

/**
 * The call-centre console in Debian's Chromium: the queue's district filter (live, as alarms
 * arrive), history filtered by household, resident and bed with the CSV export of the same search,
 * a supervisor stopping the escalation of a held critical alarm, and the header's "更多" menu at
 * 1280 px (keyboard, axe-core).
 *
 * Needs `npm run build` first. Screenshots go to test-artifacts/.
 */
const OP = { username: 'desk-op', password: 'desk-op-copper-kettle', displayName: '陈静' };
const SUP = { username: 'desk-sup', password: 'desk-sup-copper-kettle', displayName: '周主管' };
/** Escalation every 5 s, so a test sees held criticals escalate (or not) within seconds. */
const ESCALATE_MS = 5_000;

interface Bed {
  bedId: string;
  residentId: string;
  householdId: string;
  button: Creds;
}

let hub: HubProcess;
let admin: ReturnType<typeof hubApi>;
let op: ReturnType<typeof hubApi>;
let opHeader = '';
let orgId: string;
let chrome: ConsoleBrowser;
const district: Record<'east' | 'west', string> = { east: '', west: '' };
const beds: Record<string, Bed> = {};

const newPage = (opts: ConsolePageOptions = {}): Promise<Page> => chrome.newPage({ consoleErrors: false, ...opts });

const signIn = (p: Page, user: { username: string; password: string }) => signInPage(p, hub.httpUrl, user);

async function press(bed: Bed, eventId: string): Promise<void> {
  const client = await connectDevice(hub.mqttUrl, bed.button);
  await client.publishAsync(
    eventsTopic(bed.button.deviceId),
    JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  await client.endAsync();
}

/** The open SOS alarm of a bed, once the hub has it. */
async function openSos(bed: Bed): Promise<any> {
  return waitFor(async () => ((await op.get(`/api/alarms?state=open&bedId=${bed.bedId}&kind=sos`)).body as any[])[0], {
    timeoutMs: 15_000,
    what: `no open SOS on bed ${bed.bedId}`,
  });
}

const rowIds = (p: Page, testId: string) =>
  p.$$eval(byTestId(testId), (els: any[]) => els.map((e) => e.dataset.alarmId as string).sort());

async function waitForRows(p: Page, testId: string, ids: string[]): Promise<void> {
  const want = [...ids].sort();
  await p.waitForFunction(
    ([sel, expected]) =>
      JSON.stringify(
        [...(globalThis as any).document.querySelectorAll(sel)].map((e: any) => e.dataset.alarmId).sort(),
      ) === expected,
    [byTestId(testId), JSON.stringify(want)] as const,
    { timeout: 15_000 },
  );
}

async function household(name: string, streetId: string | null, people: [string, string][]): Promise<Bed[]> {
  const h = (
    await admin.post('/api/households', {
      organisationId: orgId,
      name,
      address: `${name} 1 号`,
      timeZone: 'Asia/Shanghai',
      contacts: [{ name: `${name} 家属`, phone: '+86 139 0000 0000', role: 'keyholder', callOrder: 1 }],
    })
  ).body;
  if (streetId) await admin.put(`/api/households/${h.id}/region`, { regionId: streetId });
  const out: Bed[] = [];
  for (const [resident, label] of people) {
    const r = (await admin.post('/api/residents', { householdId: h.id, name: resident, birthYear: 1940 })).body;
    const b = (await admin.post('/api/beds', { householdId: h.id, residentId: r.id, label })).body;
    const d = await admin.post('/api/devices', {
      organisationId: orgId,
      kind: 'button',
      serial: `button-desk-${Math.random().toString(36).slice(2)}`,
      model: 'T1',
      bedId: b.id,
    });
    if (d.status !== 201) throw new Error(`provisioning failed: ${d.status} ${JSON.stringify(d.body)}`);
    out.push({ bedId: b.id, residentId: r.id, householdId: h.id, button: d.body.credentials });
  }
  return out;
}

beforeAll(async () => {
  requireBuiltConsole();
  hub = await startHub({
    ALARM_SSE_HEARTBEAT_MS: '1000',
    ALARM_ESCALATE_AFTER_MS: String(ESCALATE_MS),
    ALARM_ESCALATE_REPEAT_MS: String(ESCALATE_MS),
    DISPLAY_CONFIRM_TIMEOUT_MS: '600000',
  });
  admin = hubApi(hub);
  orgId = (await admin.post('/api/organisations', { name: '东西城居家养老服务中心' })).body.id;
  for (const [u, role] of [
    [OP, 'operator'],
    [SUP, 'supervisor'],
  ] as const) {
    const r = await admin.post('/api/users', { ...u, role, organisationId: orgId });
    if (r.status !== 201) throw new Error(`POST /api/users answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  // Buttons fall silent between presses: no device_offline alarms in the history these tests count.
  const rules = await admin.put(`/api/organisations/${orgId}/rules`, { deviceOffline: { enabled: false } });
  if (rules.status !== 200) throw new Error(`PUT rules answered ${rules.status}: ${JSON.stringify(rules.body)}`);
  opHeader = await apiSignIn(hub, OP.username, OP.password);
  op = hubApi({ httpUrl: hub.httpUrl, authHeader: opHeader });

  const streets: Record<string, string> = {};
  for (const [key, name, street] of [
    ['east', '东城区', '和平街道'],
    ['west', '西城区', '长安街道'],
  ] as const) {
    const d = (await admin.post('/api/regions', { organisationId: orgId, kind: 'district', name })).body;
    const s = (
      await admin.post('/api/regions', { organisationId: orgId, kind: 'street', parentId: d.id, name: street })
    ).body;
    district[key] = d.id;
    streets[key] = s.id;
  }
  [beds.east1a, beds.east1b] = await household('家庭 东一', streets.east, [
    ['李秀英', '主卧床'],
    ['李建国', '次卧床'],
  ]);
  [beds.east2] = await household('家庭 东二', streets.east, [['王桂兰', '主卧床']]);
  [beds.west1] = await household('家庭 西一', streets.west, [['赵淑珍', '主卧床']]);
  [beds.west2] = await household('家庭 西二', streets.west, [['钱美华', '主卧床']]);
  [beds.none] = await household('家庭 未分区', null, [['孙玉梅', '主卧床']]);
  [beds.held1] = await household('家庭 西三', streets.west, [['周淑芬', '主卧床']]);
  [beds.held2] = await household('家庭 西四', streets.west, [['吴秀兰', '主卧床']]);

  // History: 李秀英's first call resolved, then a second one; one call each from the others.
  await press(beds.east1a, 'east1a-1');
  const first = await openSos(beds.east1a);
  expect((await op.post(`/api/alarms/${first.id}/acknowledge`, {})).status).toBe(200);
  expect((await op.post(`/api/alarms/${first.id}/resolve`, { outcome: 'false_alarm' })).status).toBe(200);
  for (const [key, bed] of Object.entries(beds))
    if (['east1a', 'east1b', 'west1', 'none'].includes(key)) await press(bed, `${key}-2`);
  for (const key of ['east1a', 'east1b', 'west1', 'none']) await openSos(beds[key]);

  chrome = await ConsoleBrowser.launch();
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await hub?.dispose();
}, 30_000);

describe('queue district filter', () => {
  it('shows the district the hub places alarms in, including alarms that arrive while it is chosen', async () => {
    const page = await newPage();
    await signIn(page, OP);
    const before = await Promise.all(['east1a', 'east1b', 'west1', 'none'].map((k) => openSos(beds[k])));
    await waitForRows(
      page,
      'queue-row',
      before.map((a) => a.id),
    );

    await page.selectOption(byTestId('filter-district'), district.east);
    const eastOpen = (await op.get(`/api/alarms?state=open&district=${district.east}`)).body as any[];
    expect(eastOpen.map((a) => a.bedId).sort()).toEqual([beds.east1a.bedId, beds.east1b.bedId].sort());
    await waitForRows(
      page,
      'queue-row',
      eastOpen.map((a) => a.id),
    );
    expect(await page.textContent(byTestId('queue-shown'))).toContain('2');

    // New calls from a household the console has not seen in either district: one east, one west.
    const count = () => page.$eval(byTestId('tab-alarms'), (e: any) => Number(e.dataset.count));
    const total = await count();
    await press(beds.east2, 'east2-1');
    await press(beds.west2, 'west2-1');
    const east2 = await openSos(beds.east2);
    const west2 = await openSos(beds.west2);
    await page.waitForFunction(
      ([sel, n]) => Number((globalThis as any).document.querySelector(sel)?.dataset.count) === n,
      [byTestId('tab-alarms'), total + 2] as const,
      { timeout: 15_000 },
    );
    await waitForRows(page, 'queue-row', [...eastOpen.map((a) => a.id), east2.id]);
    expect(await rowIds(page, 'queue-row')).not.toContain(west2.id);

    await page.selectOption(byTestId('filter-district'), district.west);
    await waitForRows(
      page,
      'queue-row',
      ((await op.get(`/api/alarms?state=open&district=${district.west}`)).body as any[]).map((a) => a.id),
    );
    expect(await rowIds(page, 'queue-row')).toContain(west2.id);

    await page.selectOption(byTestId('filter-district'), '');
    await waitForRows(page, 'queue-row', [...before.map((a) => a.id), east2.id, west2.id]);
    await page.selectOption(byTestId('filter-district'), district.east);
    await page.screenshot({ path: join(ARTIFACTS, 'console-queue-district-1440x900.png') });
    expect(chrome.errors).toEqual([]);
  }, 90_000);
});

describe('history filters', () => {
  it('finds alarms by household, resident and bed, and exports the same search', async () => {
    const history = async (q: string) =>
      ((await op.get(`/api/history/alarms?${q}`)).body.items as any[]).map((a) => a.id as string);
    const ofBed = await history(`bedId=${beds.east1b.bedId}`);
    const ofResident = await history(`residentId=${beds.east1a.residentId}`);
    const ofHousehold = await history(`householdId=${beds.east1a.householdId}`);
    expect(ofBed).toHaveLength(1);
    expect(ofResident).toHaveLength(2);
    expect(ofHousehold.sort()).toEqual([...ofBed, ...ofResident].sort());

    // An en-US browser, the Chinese console: the date fields are the console's (year-month-day),
    // not the browser's own date picker, which would write 12/05/2026.
    const page = await newPage({ locale: 'en-US' });
    await signIn(page, OP);
    await page.click(byTestId('nav-history'));
    await page.waitForSelector(byTestId('history-page'));
    expect(await page.isDisabled(byTestId('history-bed'))).toBe(true);
    for (const field of ['history-from', 'history-to']) {
      expect(await page.getAttribute(byTestId(field), 'type')).toBe('text');
      expect(await page.getAttribute(byTestId(field), 'placeholder')).toBe('年-月-日');
    }

    await page.selectOption(byTestId('history-household'), beds.east1a.householdId);
    await page.waitForSelector(`${byTestId('history-bed')} option[value="${beds.east1b.bedId}"]`, {
      state: 'attached',
    });
    // The household's two residents only.
    const residents = await page.$$eval(`${byTestId('history-resident-filter')} option`, (els: any[]) =>
      els.map((e) => e.value as string).filter(Boolean),
    );
    expect(residents.sort()).toEqual([beds.east1a.residentId, beds.east1b.residentId].sort());
    await page.click(byTestId('history-search'));
    await waitForRows(page, 'history-row', ofHousehold);

    await page.selectOption(byTestId('history-bed'), beds.east1b.bedId);
    await page.click(byTestId('history-search'));
    await waitForRows(page, 'history-row', ofBed);

    await page.selectOption(byTestId('history-bed'), '');
    await page.selectOption(byTestId('history-resident-filter'), beds.east1a.residentId);
    await page.click(byTestId('history-search'));
    await waitForRows(page, 'history-row', ofResident);
    expect(
      await page.$$eval(byTestId('history-outcome-cell'), (els: any[]) => els.map((e) => e.textContent)),
    ).toContain('误报');

    // The export is the same search: 李秀英's two alarms, nobody else's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId('history-export'))]);
    const saved = join(ARTIFACTS, 'console-calls-history-resident.csv');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + ofResident.length);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([...ofResident].sort());
    expect(lines.slice(1).every((l) => l.includes('李秀英'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'console-history-filters-1440x900.png'), fullPage: true });

    // The resident's timeline links back to their history, filtered.
    await page.goto(`${hub.httpUrl}/residents/${beds.east1b.residentId}/timeline`);
    await page.click(byTestId('resident-history-link'));
    await waitForRows(page, 'history-row', ofBed);
    expect(await page.inputValue(byTestId('history-resident-filter'))).toBe(beds.east1b.residentId);
    // An address names a resident's history too.
    await page.goto(`${hub.httpUrl}/history?residentId=${beds.east1a.residentId}`);
    await waitForRows(page, 'history-row', ofResident);
    expect(chrome.errors).toEqual([]);
  }, 90_000);
});

describe('held critical alarm', () => {
  it('a supervisor stops its escalation with a reason; an operator cannot', async () => {
    await press(beds.held1, 'held1-1');
    await press(beds.held2, 'held2-1');
    const stopped = await openSos(beds.held1);
    const control = await openSos(beds.held2);
    const until = new Date(Date.now() + 30 * 60_000).toISOString();
    for (const a of [stopped, control]) {
      const r = await op.post(`/api/alarms/${a.id}/hold`, { until, reason: '等待家属回电' });
      expect(r.status).toBe(200);
      expect(r.body.alarm).toMatchObject({ severity: 'critical', holdEscalates: true });
    }
    const refused = await op.post(`/api/alarms/${stopped.id}/hold/stop-escalation`, { reason: '我想停' });
    expect(refused.status).toBe(403);
    const sup = hubApi({ httpUrl: hub.httpUrl, authHeader: await apiSignIn(hub, SUP.username, SUP.password) });
    expect((await sup.post(`/api/alarms/${stopped.id}/hold/stop-escalation`, { reason: '' })).status).toBe(400);
    expect((await sup.post(`/api/alarms/${stopped.id}/hold/stop-escalation`, {})).status).toBe(400);

    const operator = await newPage();
    await signIn(operator, OP);
    await operator.goto(`${hub.httpUrl}/alarms/${stopped.id}`);
    await operator.waitForSelector(byTestId('hold-status'));
    expect(await operator.$(byTestId('hold-stop-form'))).toBeNull();

    const page = await newPage();
    await signIn(page, SUP);
    await page.goto(`${hub.httpUrl}/alarms/${stopped.id}`);
    await page.waitForSelector(byTestId('hold-stop-form'));
    expect(await page.isDisabled(byTestId('hold-stop-submit'))).toBe(true); // no reason, no stop
    await page.fill(byTestId('hold-stop-reason'), '家属已在路上，十分钟到');
    await page.click(byTestId('hold-stop-submit'));
    await page.waitForSelector(byTestId('hold-escalation-stopped'), { timeout: 10_000 });
    await page.waitForFunction(
      (sel) =>
        [...(globalThis as any).document.querySelectorAll(sel)].some((e: any) =>
          e.textContent.includes('暂挂期间停止升级：家属已在路上，十分钟到'),
        ),
      byTestId('timeline-text'),
      { timeout: 10_000 },
    );
    expect(await page.$(byTestId('hold-stop-form'))).toBeNull();
    // The operator's open detail follows the stream.
    await operator.waitForSelector(byTestId('hold-escalation-stopped'), { timeout: 10_000 });

    const detail = (await op.get(`/api/alarms/${stopped.id}`)).body;
    expect(detail.alarm).toMatchObject({ holdEscalates: false, holdReason: '等待家属回电' });
    expect(detail.timeline.at(-1)).toMatchObject({
      action: 'hold_escalation_stop',
      actor: SUP.username,
      code: 'hold_escalation_stopped',
      params: { reason: '家属已在路上，十分钟到' },
    });
    expect(detail.actors[SUP.username]).toBe(SUP.displayName);

    // Two escalation periods later: the control went on escalating, the stopped one did not.
    const levelOf = async (id: string) => (await op.get(`/api/alarms/${id}`)).body.alarm.escalationLevel as number;
    const [stoppedAt, controlAt] = [await levelOf(stopped.id), await levelOf(control.id)];
    await new Promise((r) => setTimeout(r, 2 * ESCALATE_MS + 2_000));
    expect(await levelOf(stopped.id)).toBe(stoppedAt);
    expect(await levelOf(control.id)).toBeGreaterThan(controlAt);
    // Nothing left to stop.
    expect((await sup.post(`/api/alarms/${stopped.id}/hold/stop-escalation`, { reason: '再停一次' })).status).toBe(409);
    await page.screenshot({ path: join(ARTIFACTS, 'console-hold-stop-escalation-1440x900.png') });
    expect(chrome.errors).toEqual([]);
  }, 90_000);
});

describe('supervisor wallboard escalations', () => {
  it('counts the escalated unacknowledged alarms and the escalations of the window as the alarms themselves tell', async () => {
    const sup = hubApi({ httpUrl: hub.httpUrl, authHeader: await apiSignIn(hub, SUP.username, SUP.password) });
    // Counted here from the alarms and their timelines, not from the wallboard's own query.
    const independent = async (from: string) => {
      const open = ((await op.get('/api/alarms?state=raised&limit=1000')).body as any[]).filter((a) => !a.suppressed);
      const all = (await op.get('/api/alarms?limit=1000')).body as any[];
      let inWindow = 0;
      for (const a of all) {
        const detail = (await op.get(`/api/alarms/${a.id}`)).body;
        inWindow += (detail.timeline as any[]).filter(
          (e) => e.action === 'escalate' && Date.parse(e.at) >= Date.parse(from),
        ).length;
      }
      return { openEscalated: open.filter((a) => a.escalationLevel > 0).length, inWindow };
    };
    // Escalation goes on while counting: take a count between two equal boards.
    let last: unknown;
    const settled = await waitFor(
      async () => {
        const before = (await sup.get('/api/wallboard')).body;
        const counted = await independent(before.from);
        const after = (await sup.get('/api/wallboard')).body;
        last = { before: before.escalations, counted, after: after.escalations };
        const key = (e: { openEscalated: number; inWindow: number }) => `${e.openEscalated}/${e.inWindow}`;
        return key(before.escalations) === key(after.escalations) && key(after.escalations) === key(counted) && after;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'a wallboard that agrees with the alarms' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last seen ${JSON.stringify(last)}`);
    });
    // Alarms of the tests before were left unacknowledged under a 5 s escalation: there is something to count.
    expect(settled.escalations.openEscalated).toBeGreaterThanOrEqual(1);
    expect(settled.escalations.inWindow).toBeGreaterThanOrEqual(settled.escalations.openEscalated);

    const page = await newPage();
    await signIn(page, SUP);
    await page.goto(`${hub.httpUrl}/wallboard`);
    await page.waitForSelector(byTestId('wb-escalated'));
    await waitFor(
      async () => {
        const board = (await sup.get('/api/wallboard')).body;
        const value = await page.textContent(`${byTestId('wb-escalated')} .kpi-value`);
        const sub = await page.textContent(`${byTestId('wb-escalated')} .kpi-sub`);
        return (
          value === String(board.escalations.openEscalated) && sub === `近 12 小时升级 ${board.escalations.inWindow} 次`
        );
      },
      { timeoutMs: 30_000, intervalMs: 500, what: "the wallboard page showing the hub's escalation figures" },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'console-wallboard-escalations-1440x900.png') });
    expect(chrome.errors).toEqual([]);
  }, 90_000);
});

describe('header', () => {
  it('at 1280 px a supervisor gets a 更多 menu, worked by keyboard, and the controls stay on the bar', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    await signIn(page, SUP);
    await page.waitForSelector(byTestId('nav-more'));
    expect(await page.textContent(byTestId('nav-more'))).toContain('更多');
    const bar = await page.$eval('header.topbar', (e: any) => {
      const nav = e.querySelector('nav');
      const logout = e.querySelector('[data-testid="logout"]').getBoundingClientRect();
      return {
        height: e.getBoundingClientRect().height as number,
        navScrolls: nav.scrollWidth > nav.clientWidth,
        logoutRight: logout.right as number,
        logoutInside: logout.bottom <= e.getBoundingClientRect().bottom,
      };
    });
    expect(bar).toMatchObject({ navScrolls: false, logoutInside: true });
    expect(bar.height).toBeLessThan(60);
    expect(bar.logoutRight).toBeLessThanOrEqual(1280);
    expect(await page.isVisible(byTestId('nav-more-list'))).toBe(false);
    const inMenu = await page.$$eval(`${byTestId('nav-more-list')} a`, (els: any[]) =>
      els.map((e) => ({ href: e.getAttribute('href'), testId: e.dataset.testid })),
    );
    expect(inMenu.length).toBeGreaterThan(0);
    // Every entry is somewhere, once: on the bar or in the menu.
    const onBar = await page.$$eval('header.topbar nav > a', (els: any[]) => els.map((e) => e.getAttribute('href')));
    expect([...onBar, ...inMenu.map((i) => i.href)].sort()).toEqual(
      ['/', '/history', '/handover', '/visits', '/wallboard', '/supervisor', '/plans', '/reports'].sort(),
    );

    // Keyboard: Enter opens, arrows move, Escape closes and returns to the button.
    await page.focus(byTestId('nav-more'));
    await page.keyboard.press('Enter');
    expect(await page.getAttribute(byTestId('nav-more'), 'aria-expanded')).toBe('true');
    expect(await page.isVisible(byTestId('nav-more-list'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'console-header-more-1280x720.png') });
    const axe = await axeCheck(page);
    expect(axe.violations).toEqual([]);
    expect(axe.passed).toBeGreaterThan(10);
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => (globalThis as any).document.activeElement?.dataset?.testid);
    expect(await focused()).toBe(inMenu[0].testId);
    await page.keyboard.press('Escape');
    expect(await page.getAttribute(byTestId('nav-more'), 'aria-expanded')).toBe('false');
    expect(await focused()).toBe('nav-more');

    // ArrowUp opens on the last entry; Enter goes there, closes the menu and marks "more" as current.
    const last = inMenu.at(-1)!;
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction((id) => (globalThis as any).document.activeElement?.dataset?.testid === id, last.testId);
    await page.keyboard.press('Enter');
    await page.waitForFunction((href) => (globalThis as any).location.pathname === href, last.href);
    expect(await page.isVisible(byTestId('nav-more-list'))).toBe(false);
    expect(await page.getAttribute(byTestId('nav-more'), 'class')).toContain('active');
    expect(await page.getAttribute(byTestId(last.testId), 'aria-current')).toBe('page');

    // A click elsewhere closes it too.
    await page.click(byTestId('nav-more'));
    expect(await page.isVisible(byTestId('nav-more-list'))).toBe(true);
    await page.click('header.topbar .brand');
    expect(await page.isVisible(byTestId('nav-more-list'))).toBe(false);

    // English labels are measured again; a wide screen needs no menu.
    await page.click(byTestId('language-switch'));
    await page.waitForFunction(
      (sel) => (globalThis as any).document.querySelector(sel)?.textContent.includes('More'),
      byTestId('nav-more'),
    );
    expect(await page.$eval('header.topbar', (e: any) => e.getBoundingClientRect().height as number)).toBeLessThan(60);
    const onBarNow = () => page.$$eval('header.topbar nav > a', (els: any[]) => els.map((e) => e.dataset.testid));
    // English at 1440 px: still one line, the rest behind "More".
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForSelector(byTestId('nav-more'));
    expect(await page.$eval('header.topbar', (e: any) => e.getBoundingClientRect().height as number)).toBeLessThan(60);
    // Chinese at 1440 px (the other console tests' size): the whole menu is on the bar.
    await page.click(byTestId('language-switch'));
    await page.waitForSelector(`${byTestId('nav-queue')}:has-text("实时告警")`);
    await page.waitForSelector(byTestId('nav-more'), { state: 'detached' });
    expect(await onBarNow()).toHaveLength(8);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForSelector(byTestId('nav-more'), { state: 'detached' });
    expect(await onBarNow()).toHaveLength(8);
    expect(chrome.errors).toEqual([]);
  }, 90_000);
});
