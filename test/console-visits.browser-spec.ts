import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { toLocal } from '@bedside/rules';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { addNights, nightWindow } from '../libs/wellness/src/domain/night-window';
import { ARTIFACTS, byTestId, ConsoleBrowser, requireBuiltConsole, signIn } from './browser-fixture';
import { eventsTopic } from '@bedside/contracts';
import { addCareBed, streamBedNights } from './care-beds';
import { publishOnce } from './mqtt-helpers';
import { signIn as signInApi } from './tenant-fixture';

/**
 * The coordinator's pages in a real browser (Debian's Chromium via playwright-core): two weeks
 * of nights of two residents reach the hub over MQTT, the visit planner lists the visits (one
 * overdue), a supervisor assigns and checks one in from the page, opens the resident's trends
 * with the baseline band, and reads and downloads the month's supervision report. The planner
 * follows the visit stream (also across a hub restart), and the supervisor's own visits
 * are listed overdue first. Screenshots go
 * to test-artifacts/. Needs `npm run build` first.
 */
const TZ = 'Asia/Shanghai';
const SUPERVISOR = { username: 'visits-sup', password: 'visits-sup-copper-kettle', displayName: '周主任' };

let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let chrome: ConsoleBrowser;
let page: Page;
const clients: MqttClient[] = [];
let org: { id: string };
let steady: Awaited<ReturnType<typeof addCareBed>>;
let declining: Awaited<ReturnType<typeof addCareBed>>;

const today = () => {
  const l = toLocal(Date.now(), TZ);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
};

beforeAll(async () => {
  requireBuiltConsole();
  hub = await startHub({ WELLNESS_SWEEP_MS: '1000', VISITS_SWEEP_MS: '1000' });
  api = hubApi(hub);
  org = (await api.post('/api/organisations', { name: '鼓楼居家养老服务中心' })).body;
  expect((await api.post('/api/users', { ...SUPERVISOR, role: 'supervisor', organisationId: org.id })).status).toBe(
    201,
  );
  steady = await addCareBed(api, org.id, '王奶奶', TZ);
  declining = await addCareBed(api, org.id, '李爷爷', TZ);
  const district = (await api.post('/api/regions', { organisationId: org.id, kind: 'district', name: '鼓楼区' })).body;
  const street = (
    await api.post('/api/regions', {
      organisationId: org.id,
      kind: 'street',
      parentId: district.id,
      name: '中山路街道',
    })
  ).body;
  for (const b of [steady, declining])
    await api.put(`/api/households/${b.household.id}/region`, { regionId: street.id });

  const last = addNights(today(), -2);
  const nights = Array.from({ length: 14 }, (_, i) => addNights(last, i - 13));
  await api.put(`/api/organisations/${org.id}/visit-policies`, {
    policies: [{ category: 'living_alone', intervalDays: 7 }],
  });
  await api.put(`/api/residents/${steady.resident.id}/categories`, {
    categories: [{ category: 'living_alone', since: new Date(nightWindow(nights[0], TZ).start).toISOString() }],
  });
  const usual = [{ at: '02:00', minutes: 10 }];
  const restless = ['23:00', '01:00', '02:30', '04:00'].map((at) => ({ at, minutes: 15 }));
  await Promise.all([
    streamBedNights(
      hub.mqttUrl,
      steady.creds,
      nights.map((night) => ({ night, timeZone: TZ, absences: usual })),
      clients,
    ),
    streamBedNights(
      hub.mqttUrl,
      declining.creds,
      nights.map((night, i) => ({
        night,
        timeZone: TZ,
        absences: i >= 11 ? restless : usual,
        heartRate: 62 + (i >= 11 ? 10 : 0),
      })),
      clients,
    ),
  ]);
  await waitFor(async () => (await api.get(`/api/visits?organisationId=${org.id}&state=open`)).body.length === 2, {
    timeoutMs: 90_000,
    intervalMs: 1000,
    what: 'a deviation visit and the weekly visit',
  });

  chrome = await ConsoleBrowser.launch();
  page = await chrome.newPage({ timezoneId: TZ, viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  await signIn(page, hub.httpUrl, SUPERVISOR, 'queue');
}, 180_000);

afterAll(async () => {
  for (const c of clients) await c.endAsync().catch(() => undefined);
  await chrome?.close();
  await hub?.dispose();
}, 30_000);

describe('visit planner, resident page and supervision report in Chromium', () => {
  it('lists the visits with the overdue one marked, and assigns and checks one in', async () => {
    await page.click(byTestId('nav-visits'));
    await page.waitForSelector(byTestId('visits-table'));
    const visits = (await api.get(`/api/visits?organisationId=${org.id}&state=open`)).body as any[];
    const weekly = visits.find((v) => v.source === 'policy');
    const deviation = visits.find((v) => v.source === 'deviation');
    expect(await page.getAttribute(byTestId(`visit-${weekly.id}`), 'data-overdue')).toBe('true');
    expect(await page.getAttribute(byTestId(`visit-${deviation.id}`), 'data-overdue')).toBe('false');
    expect(await page.textContent(byTestId(`visit-${weekly.id}`))).toContain('逾期');
    expect(await page.textContent(byTestId(`visit-${deviation.id}`))).toContain('李爷爷');
    expect(await page.textContent(byTestId(`visit-${deviation.id}`))).toContain('鼓楼区 / 中山路街道');
    // Reasons in the UI language: the restless, faster-beating nights and the weekly policy.
    expect(await page.textContent(byTestId(`visit-${deviation.id}`))).toMatch(/夜间离床增多|静息心率升高/);
    expect(await page.textContent(byTestId(`visit-${weekly.id}`))).toContain('独居：至少每 7 天探访一次');
    expect(await page.textContent(byTestId('visits-count'))).toBe('共 2 条，逾期 1 条');
    await page.screenshot({ path: join(ARTIFACTS, 'visit-planner.png'), fullPage: true });

    const row = byTestId(`visit-${deviation.id}`);
    await page.fill(`${row} ${byTestId('visit-assignee')}`, '张社工');
    await page.click(`${row} ${byTestId('visit-assign')}`);
    await page.waitForSelector(`${row}[data-state="assigned"]`);
    await page.selectOption(`${row} ${byTestId('visit-outcome')}`, 'needs_follow_up');
    await page.click(`${row} ${byTestId('visit-visited')}`);
    await page.waitForSelector(row, { state: 'detached' });
    expect((await api.get(`/api/visits/${deviation.id}`)).body).toEqual(
      expect.objectContaining({
        state: 'visited',
        outcome: 'needs_follow_up',
        assignee: { kind: 'worker', name: '张社工' },
      }),
    );
    await page.check(byTestId('visits-overdue-only'));
    await waitFor(async () => (await page.textContent(byTestId('visits-count'))) === '共 1 条，逾期 1 条', {
      what: 'only the overdue visit',
    });
  }, 60_000);

  it("follows the visit stream live, across a hub restart, and lists the signed-in worker's own visits", async () => {
    await page.goto(`${hub.httpUrl}/visits`);
    await page.waitForSelector(`${byTestId('visits-stream')}[data-status="live"]`);
    const plan = async (dueInMs: number, reason: string) => {
      const r = await api.post(`/api/residents/${steady.resident.id}/visits`, {
        dueAt: new Date(Date.now() + dueInMs).toISOString(),
        reason,
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    // Planned elsewhere: on the page well within the old 15 s poll, with no reload.
    const late = await plan(-3_600_000, '家属来电：昨天未接电话');
    await page.waitForSelector(byTestId(`visit-${late}`), { timeout: 5_000 });

    // The hub restarts: the page says the stream is down, reconnects by itself once the hub is
    // back, and follows visits planned after that.
    const errorsBefore = chrome.errors.length;
    await hub.stop();
    await page.waitForSelector(`${byTestId('visits-stream')}:not([data-status="live"])`, { timeout: 10_000 });
    await hub.restart();
    await waitFor(async () => (await fetch(`${hub.httpUrl}/health/ready`)).status === 200, {
      what: 'hub ready after restart',
      timeoutMs: 30_000,
    });
    await page.waitForSelector(`${byTestId('visits-stream')}[data-status="live"]`, { timeout: 30_000 });
    // The reconnect attempts while the hub was down are the only errors the browser logged.
    const whileDown = chrome.errors.splice(errorsBefore);
    expect(whileDown.filter((e) => !/Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
    const later = await plan(3 * 86_400_000, '复查血压');
    await page.waitForSelector(byTestId(`visit-${later}`), { timeout: 5_000 });

    // The supervisor takes both; they are on their own list, the overdue one first.
    for (const id of [later, late]) {
      await page.click(`${byTestId(`visit-${id}`)} ${byTestId('visit-assign-me')}`);
      await page.waitForSelector(`${byTestId(`visit-${id}`)}[data-state="assigned"]`);
    }
    await page.click(byTestId('visits-view-mine'));
    await page.waitForSelector(byTestId('my-visits'));
    await page.waitForSelector(`${byTestId('my-visits-overdue')} ${byTestId(`my-visit-${late}`)}`);
    await page.waitForSelector(`${byTestId('my-visits-later')} ${byTestId(`my-visit-${later}`)}`);
    expect(await page.textContent(byTestId('visits-view-mine'))).toBe('我的探访（2）');
    expect(await page.textContent(byTestId('my-visits-overdue'))).toContain('已逾期');
    expect(await page.textContent(byTestId(`my-visit-${late}`))).toContain('王奶奶');
    const mine = (await (await signedInApi()).get('/api/visits/mine')).body as { id: string }[];
    expect(mine.map((v) => v.id)).toEqual([late, later]);
    expect((await api.get(`/api/visits/${late}`)).body.assignee).toEqual(
      expect.objectContaining({ kind: 'worker', name: SUPERVISOR.displayName }),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'my-visits.png'), fullPage: true });

    // Done from the list: it leaves it live.
    await page.click(`${byTestId(`my-visit-${late}`)} ${byTestId('visit-not-home')}`);
    await page.waitForSelector(byTestId(`my-visit-${late}`), { state: 'detached' });
    expect(await page.textContent(byTestId('visits-view-mine'))).toBe('我的探访（1）');
    await page.click(byTestId('visits-view-all'));
  }, 90_000);

  it("shows a resident's trends with the baseline band, visits and alarms", async () => {
    await page.click(`${byTestId(`visit-${(await openWeekly()).id}`)} a`);
    await page.waitForSelector(byTestId('resident-charts'));
    expect(await page.textContent('h1')).toContain('王奶奶');
    expect(await page.getAttribute(byTestId('resident-charts'), 'data-nights')).toBe('14');
    await waitFor(async () => (await page.$$(`${byTestId('resident-charts')} canvas`)).length === 4, {
      what: 'four charts',
    });
    expect(await page.textContent(byTestId('resident-visits'))).toContain('定期巡访');
    await page.waitForSelector(`${byTestId('resident-timeline')} tr[data-type="visit"]`);
    expect(await page.textContent(byTestId('resident-timeline'))).toContain('定期巡访 · 逾期');
    await page.selectOption(byTestId('resident-range'), '90');
    await page.waitForSelector(byTestId('resident-charts'));
    await page.screenshot({ path: join(ARTIFACTS, 'resident-wellness.png'), fullPage: true });

    await page.goto(`${hub.httpUrl}/residents/${declining.resident.id}`);
    await page.waitForSelector(byTestId('resident-charts'));
    // Baseline from the eighth night on; the last three nights are off it.
    expect(await page.getAttribute(byTestId('resident-charts'), 'data-baseline-nights')).toBe('7');
    expect(await page.getAttribute(byTestId('resident-charts'), 'data-flagged-nights')).toBe('3');
    expect(await page.textContent(byTestId('resident-visits'))).toContain('需跟进');
    await page.screenshot({ path: join(ARTIFACTS, 'resident-declining.png'), fullPage: true });
  }, 60_000);

  it("reads this month's report and downloads it as CSV and Excel", async () => {
    await page.click(byTestId('nav-reports'));
    await page.waitForSelector(byTestId('report-page'));
    const month = today().slice(0, 7);
    // Months are named in the UI language (a native month input named them in the browser's own language).
    expect(await page.textContent(`${byTestId('report-month')} option[value="${month}"]`)).toBe(
      `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`,
    );
    await page.selectOption(byTestId('report-month'), month);
    const expected = (await api.get(`/api/organisations/${org.id}/supervision-report?month=${month}`)).body;
    await waitFor(async () => (await page.textContent(`${byTestId('report-visits-done')} .kpi-value`)) === '1', {
      what: 'the report of this month',
    });
    expect(await page.textContent(`${byTestId('report-beds')} .kpi-value`)).toBe(String(expected.bedsInService));
    expect(expected.bedsInService).toBe(2);
    // Bed-days of the month so far, to one decimal (the report is of the current month, so it grows
    // between the API read and the page's own read; a tenth of a bed-day is hours, not milliseconds).
    const shownBedDays = Number(await page.textContent(`${byTestId('report-bed-days')} .kpi-value`));
    expect(expected.bedDaysInService).toBeGreaterThan(0);
    expect(Math.abs(shownBedDays - expected.bedDaysInService)).toBeLessThanOrEqual(0.051);
    expect(await page.textContent(`${byTestId('report-bed-days')} .kpi-sub`)).toBe(
      `月末在服务 ${expected.bedsInServiceAtEnd} 张`,
    );
    expect(expected.bedsInServiceAtEnd).toBe(2);
    const districtRow = await page.textContent(`${byTestId('report-districts')} tbody tr`);
    expect(districtRow).toContain((Math.round(expected.districts[0].bedDaysInService * 10) / 10).toFixed(1));
    expect(await page.textContent(`${byTestId('report-visits-overdue')} .kpi-value`)).toBe(
      String(expected.visits.overdue),
    );
    expect(await page.textContent(byTestId('report-districts'))).toContain('鼓楼区');
    await page.screenshot({ path: join(ARTIFACTS, 'supervision-report.png'), fullPage: true });

    for (const format of ['csv', 'xlsx'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId(`report-${format}`))]);
      expect(download.suggestedFilename()).toBe(`supervision-${month}.${format}`);
      const path = join(ARTIFACTS, `supervision-${month}.${format}`);
      await download.saveAs(path);
      const bytes = readFileSync(path);
      if (format === 'csv') expect(bytes.toString('utf8')).toContain('在服务床位 beds in service,2');
      else expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // an OOXML package is a zip
    }
    expect(chrome.errors).toEqual([]);
  }, 60_000);
});

describe('a follow-up visit planned from an alarm', () => {
  it('the operator plans it on the alarm, it is worded in zh-CN, kept across a reload and listed in the planner', async () => {
    const eventId = `sos-follow-up-${Date.now()}`;
    await publishOnce(hub.mqttUrl, steady.creds.button, eventsTopic(steady.creds.button.deviceId), {
      eventId,
      type: 'button.pressed',
      ts: Date.now(),
    });
    const alarm = await waitFor(
      async () =>
        ((await api.get(`/api/alarms?bedId=${steady.bed.id}&state=open`)).body as any[]).find((a) => a.kind === 'sos'),
      { timeoutMs: 10_000, what: 'the SOS alarm' },
    );
    await page.goto(`${hub.httpUrl}/alarms/${alarm.id}`);
    await page.waitForSelector(byTestId('follow-up-note'));
    await page.fill(byTestId('follow-up-note'), '确认老人情况，检查呼叫器');
    await page.selectOption(byTestId('follow-up-days'), '3');
    const before = Date.now();
    await page.click(byTestId('follow-up-submit'));
    await page.waitForSelector(`${byTestId('follow-up-visit')}[data-state="planned"]`);
    expect(await page.textContent(byTestId('follow-up-panel'))).toContain('紧急呼叫告警回访：确认老人情况，检查呼叫器');

    // The hub holds one alarm visit for the resident, due in three days, with the note.
    const visits = (await api.get(`/api/residents/${steady.resident.id}/visits`)).body as any[];
    const own = visits.filter((v) => v.source === 'alarm' && v.alarmId === alarm.id);
    expect(own).toHaveLength(1);
    expect(own[0]).toEqual(
      expect.objectContaining({ state: 'planned', reason: 'after sos alarm: 确认老人情况，检查呼叫器' }),
    );
    expect(own[0].dueAt).toBeGreaterThanOrEqual(before + 3 * 86_400_000 - 5_000);
    expect(own[0].dueAt).toBeLessThanOrEqual(Date.now() + 3 * 86_400_000);
    // A second plan for the same alarm is refused; the page shows the one that exists after a reload.
    expect((await api.post(`/api/alarms/${alarm.id}/visits`, {})).status).toBe(409);
    await page.reload();
    await page.waitForSelector(byTestId('follow-up-visit'));
    expect(await page.$(byTestId('follow-up-note'))).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'alarm-follow-up-visit.png'), fullPage: true });

    // The coordinator's planner lists it as an alarm follow-up, worded the same way.
    await page.goto(`${hub.httpUrl}/visits`);
    await page.waitForSelector(byTestId(`visit-${own[0].id}`));
    const row = await page.textContent(byTestId(`visit-${own[0].id}`));
    expect(row).toContain('告警回访');
    expect(row).toContain('紧急呼叫告警回访：确认老人情况，检查呼叫器');
    expect(chrome.errors).toEqual([]);
  }, 60_000);
});

async function signedInApi() {
  return hubApi({ httpUrl: hub.httpUrl, authHeader: await signInApi(hub, SUPERVISOR.username, SUPERVISOR.password) });
}

async function openWeekly() {
  await page.goto(`${hub.httpUrl}/visits`);
  await page.waitForSelector(byTestId('visits-table'));
  const visits = (await api.get(`/api/visits?organisationId=${org.id}&state=open`)).body as any[];
  return visits.find((v) => v.source === 'policy');
}
