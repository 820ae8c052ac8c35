import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import {
  ARTIFACTS,
  axeCheck,
  byTestId,
  ConsoleBrowser,
  pad,
  requireBuiltConsole,
  signIn as signInPage,
} from './browser-fixture';
import { publishOnce, type Creds } from './mqtt-helpers';
import { signIn as apiSignIn } from './tenant-fixture';

/**
 * Call handling in Debian's Chromium: the action plan and the call list in the alarm detail, a
 * call attempt on the timeline, one-click dispatch, a held alarm that comes back at its return
 * time (sound and position), history search and CSV export, a resident's timeline, the shift
 * handover acknowledged by the next shift, the supervisor wallboard, axe-core on the main pages,
 * and zh-CN screenshots at two sizes.
 *
 * Needs `npm run build` first. Screenshots go to test-artifacts/.
 */
const HOUSEHOLDS = 30;
const OP1 = { username: 'calls-op1', password: 'calls-op1-copper-kettle', displayName: '张敏' };
const OP2 = { username: 'calls-op2', password: 'calls-op2-copper-kettle', displayName: '王芳' };
const SUP = { username: 'calls-sup', password: 'calls-sup-copper-kettle', displayName: '刘主管' };
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
];

interface Home {
  n: number;
  bedId: string;
  residentId: string;
  button: Creds;
  wearable: Creds;
}

let hub: HubProcess;
let admin: ReturnType<typeof hubApi>;
let sup: ReturnType<typeof hubApi>;
let op1: ReturnType<typeof hubApi>;
let op1Header = '';
let orgId: string;
let chrome: ConsoleBrowser;
const homes: Home[] = [];

/** `bypassCSP` only to inject axe-core, which the console's CSP (script-src 'self') rightly refuses. */
const newPage = (viewport = SIZES[0], bypassCSP = false): Promise<Page> =>
  chrome.newPage({ viewport, bypassCSP, recordTones: true, consoleErrors: false });

const signIn = (p: Page, user: { username: string; password: string }) => signInPage(p, hub.httpUrl, user);

const publish = (creds: Creds, topic: string, payload: unknown) => publishOnce(hub.mqttUrl, creds, topic, payload);

const battery = (home: Home, level: number) => {
  const now = Date.now();
  return publish(home.wearable, telemetryTopic(home.wearable.deviceId), {
    ts: now,
    seq: now,
    samples: [{ ts: now, worn: true, heartRate: 72, spo2: 97, battery: level }],
  });
};

/** The open alarm of a kind on a home's bed, once the hub has it. */
async function alarmOf(home: Home, kind: string): Promise<any> {
  let found: any;
  await waitFor(
    async () => {
      const r = await op1.get(`/api/alarms?state=open&bedId=${home.bedId}&kind=${kind}`);
      found = (r.body as any[])[0];
      return found !== undefined;
    },
    { timeoutMs: 15_000, what: `no ${kind} alarm on home ${home.n}` },
  );
  return found;
}

beforeAll(async () => {
  requireBuiltConsole();
  // Escalation and the display watchdog far away: priority changes in these tests come from holds only.
  hub = await startHub({
    ALARM_SSE_HEARTBEAT_MS: '1000',
    ALARM_ESCALATE_AFTER_MS: '3600000',
    DISPLAY_CONFIRM_TIMEOUT_MS: '600000',
  });
  admin = hubApi(hub);
  orgId = (await admin.post('/api/organisations', { name: '和平区居家养老服务中心' })).body.id;
  for (const [u, role] of [
    [OP1, 'operator'],
    [OP2, 'operator'],
    [SUP, 'supervisor'],
  ] as const) {
    const r = await admin.post('/api/users', { ...u, role, organisationId: orgId });
    if (r.status !== 201) throw new Error(`POST /api/users answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  sup = hubApi({ httpUrl: hub.httpUrl, authHeader: await apiSignIn(hub, SUP.username, SUP.password) });
  op1Header = await apiSignIn(hub, OP1.username, OP1.password);
  op1 = hubApi({ httpUrl: hub.httpUrl, authHeader: op1Header });
  for (let n = 1; n <= HOUSEHOLDS; n++) {
    const household = (
      await admin.post('/api/households', {
        organisationId: orgId,
        name: `家庭 ${pad(n)}`,
        address: `和平区 幸福路 ${n} 号 ${(n % 6) + 1} 单元`,
        timeZone: 'Asia/Shanghai',
        contacts: [
          { name: `女儿 ${pad(n)}`, phone: `+86 139 0000 00${pad(n)}`, role: 'emergency', callOrder: 2 },
          { name: `儿子 ${pad(n)}`, phone: `+86 138 0000 00${pad(n)}`, role: 'keyholder', callOrder: 1 },
        ],
      })
    ).body;
    const resident = (
      await admin.post('/api/residents', { householdId: household.id, name: `住户 ${pad(n)}`, birthYear: 1938 + n })
    ).body;
    const bed = (await admin.post('/api/beds', { householdId: household.id, residentId: resident.id, label: '主卧床' }))
      .body;
    const creds: Partial<Record<'button' | 'wearable', Creds>> = {};
    for (const kind of ['button', 'wearable'] as const) {
      const r = await admin.post('/api/devices', {
        organisationId: orgId,
        kind,
        serial: `${kind}-calls-${n}-${Math.random().toString(36).slice(2)}`,
        model: 'T1',
        bedId: bed.id,
      });
      if (r.status !== 201) throw new Error(`provisioning failed: ${r.status} ${JSON.stringify(r.body)}`);
      creds[kind] = r.body.credentials;
    }
    homes.push({ n, bedId: bed.id, residentId: resident.id, button: creds.button!, wearable: creds.wearable! });
  }
  for (const home of homes.slice(0, 6)) {
    const r = await admin.put(`/api/beds/${home.bedId}/rules`, { fall: { cancelWindowMs: 1000 } });
    if (r.status !== 200) throw new Error(`PUT rules answered ${r.status}: ${JSON.stringify(r.body)}`);
  }

  // 30 SOS, 6 falls, 8 tamper reports, 6 low batteries: fifty open alarms.
  for (const home of homes) {
    await publish(home.button, eventsTopic(home.button.deviceId), {
      eventId: `sos-${home.n}`,
      type: 'button.pressed',
      ts: Date.now(),
    });
  }
  for (const home of homes.slice(0, 6))
    await publish(home.wearable, eventsTopic(home.wearable.deviceId), {
      eventId: `fall-${home.n}`,
      type: 'fall.detected',
      ts: Date.now(),
      confidence: 0.9,
    });
  for (const home of homes.slice(10, 18))
    await publish(home.wearable, eventsTopic(home.wearable.deviceId), {
      eventId: `tamper-${home.n}`,
      type: 'tamper',
      ts: Date.now(),
    });
  for (const home of homes.slice(20, 26)) await battery(home, 8);
  await waitFor(async () => ((await op1.get('/api/alarms?state=open')).body as any[]).length >= 50, {
    timeoutMs: 30_000,
    what: 'fifty open alarms',
  });

  chrome = await ConsoleBrowser.launch();
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await hub?.dispose();
}, 30_000);

describe('the queue', () => {
  it('screenshots of the queue with fifty alarms (zh-CN) at 1440x900 and 1280x720', async () => {
    for (const size of SIZES) {
      const page = await newPage(size);
      await signIn(page, OP2);
      await page.waitForFunction(
        (sel) => Number((globalThis as any).document.querySelector(sel)?.dataset.count) >= 30,
        byTestId('tab-alarms'),
        { timeout: 15_000 },
      );
      const total = await page.$$eval('[data-testid^="tab-"]', (els: any[]) =>
        els.reduce((s, e) => s + Number(e.dataset.count ?? 0), 0),
      );
      expect(total).toBe(50);
      // The header stays on one line (no wrapped menu) at both sizes.
      const header = await page.$eval('header.topbar', (e: any) => e.getBoundingClientRect().height as number);
      expect(header).toBeLessThan(60);
      await page.screenshot({ path: join(ARTIFACTS, `call-handling-queue-${size.width}x${size.height}.png`) });
      expect(existsSync(join(ARTIFACTS, `call-handling-queue-${size.width}x${size.height}.png`))).toBe(true);
    }
  }, 60_000);
});

describe('action plans and call lists', () => {
  it('only supervisors and administrators set action plans; operators read them', async () => {
    const plan = {
      steps: ['核实住户是否能应答', '按顺序联系家属', '无人应答时派社区工作人员上门'],
      responders: [{ name: '周丽', phone: '+86 24 2345 6789', type: 'community_worker' }],
    };
    expect((await op1.put(`/api/organisations/${orgId}/action-plans/sos`, plan)).status).toBe(403);
    expect((await sup.put(`/api/organisations/${orgId}/action-plans/nonsense`, plan)).status).toBe(400);
    const r = await sup.put(`/api/organisations/${orgId}/action-plans/sos`, plan);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'sos', steps: plan.steps, updatedBy: SUP.username });
    const read = await op1.get(`/api/organisations/${orgId}/action-plans`);
    expect(read.body).toEqual([expect.objectContaining({ kind: 'sos', responders: plan.responders })]);
  });

  it('a supervisor edits the action plan of a kind in the console; operators have no editor', async () => {
    const page = await newPage();
    await signIn(page, SUP);
    // The organisation's plans answer only after the supervisor has typed: what they typed stays.
    let answerPlans!: () => void;
    const typed = new Promise<void>((resolve) => (answerPlans = resolve));
    await page.route('**/api/organisations/*/action-plans', async (route) => {
      if (route.request().method() === 'GET') await typed;
      await route.continue();
    });
    await page.click(byTestId('nav-plans'));
    await page.waitForSelector(byTestId('plan-editor'));
    await page.selectOption(byTestId('plan-kind'), 'fall');
    await page.fill(byTestId('plan-steps'), '询问住户是否受伤\n联系持钥匙人上门');
    await page.fill(byTestId('plan-responders'), '周丽 | +86 24 2345 6789 | community_worker\n120 | 120 | ambulance');
    const plansRead = page.waitForResponse((r) => r.url().endsWith('/action-plans') && r.request().method() === 'GET');
    answerPlans();
    await plansRead;
    // The list is in (the sos plan is marked), and the typed text is still there.
    await waitFor(async () => (await page.textContent(`${byTestId('plan-kind')} option[value="sos"]`))?.includes('✓'), {
      what: 'the plans read',
    });
    expect(await page.inputValue(byTestId('plan-steps'))).toBe('询问住户是否受伤\n联系持钥匙人上门');
    await page.click(byTestId('plan-save'));
    await page.waitForSelector(byTestId('plan-saved'));
    const fall = ((await op1.get(`/api/organisations/${orgId}/action-plans`)).body as any[]).find(
      (p) => p.kind === 'fall',
    );
    expect(fall).toMatchObject({
      steps: ['询问住户是否受伤', '联系持钥匙人上门'],
      responders: [
        { name: '周丽', phone: '+86 24 2345 6789', type: 'community_worker' },
        { name: '120', phone: '120', type: 'ambulance' },
      ],
      updatedBy: SUP.username,
    });
    const operator = await newPage();
    await signIn(operator, OP1);
    expect(await operator.$(byTestId('nav-plans'))).toBeNull();
  }, 60_000);

  it('shows the plan in the detail, works the call list in order, puts a call attempt on the timeline and dispatches in one click', async () => {
    const page = await newPage();
    await signIn(page, OP1);
    const sos = await alarmOf(homes[0], 'sos');
    await page.goto(`${hub.httpUrl}/alarms/${sos.id}`);
    await page.waitForSelector(byTestId('plan-step'));
    expect(await page.$$eval(byTestId('plan-step'), (els) => els.map((e) => e.textContent))).toEqual([
      '核实住户是否能应答',
      '按顺序联系家属',
      '无人应答时派社区工作人员上门',
    ]);
    const entries = () =>
      page.$$eval(byTestId('call-entry'), (els: any[]) =>
        els.map((e) => ({ callee: e.dataset.callee, next: e.dataset.next, last: e.dataset.lastOutcome })),
      );
    expect((await entries()).map((e) => e.callee)).toEqual(['儿子 01', '女儿 01', '周丽']);
    expect((await entries())[0].next).toBe('true');

    await page.click(`${byTestId('call-entry')}[data-callee="儿子 01"] ${byTestId('call-no_answer')}`);
    await page.waitForSelector(`${byTestId('call-entry')}[data-callee="女儿 01"][data-next="true"]`);
    await page.waitForFunction(
      (sel) =>
        [...(globalThis as any).document.querySelectorAll(sel)].some((e: any) =>
          e.textContent.includes('拨打 儿子 01（+86 138 0000 0001）：无人接听'),
        ),
      `${byTestId('timeline-entry')}[data-action="call"]`,
      { timeout: 10_000 },
    );
    const callEntry = await page.textContent(`${byTestId('timeline-entry')}[data-action="call"]`);
    expect(callEntry).toContain('张敏'); // the actor by display name
    expect(callEntry).toContain('电话联系');

    await page.click(`${byTestId('call-entry')}[data-callee="女儿 01"] ${byTestId('call-busy')}`);
    await page.waitForSelector(`${byTestId('call-entry')}[data-callee="周丽"][data-next="true"]`);
    await page.click(`${byTestId('call-entry')}[data-callee="周丽"] ${byTestId('call-answered')}`);
    await page.waitForSelector(`${byTestId('call-entry')}[data-callee="周丽"][data-last-outcome="answered"]`);
    expect((await entries()).every((e) => e.next === 'false')).toBe(true);

    await page.click(`${byTestId('call-entry')}[data-callee="周丽"] ${byTestId('call-dispatch')}`);
    await page.waitForFunction(
      (sel) => (globalThis as any).document.querySelector(sel)?.textContent.includes('周丽'),
      byTestId('dispatch-panel'),
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      (sel) =>
        [...(globalThis as any).document.querySelectorAll(sel)].some((e: any) =>
          e.textContent.includes('已派出社区工作人员 周丽'),
        ),
      byTestId('timeline-text'),
      { timeout: 10_000 },
    );

    // The API keeps the attempts in order, and the English text beside each code.
    const list = (await op1.get(`/api/alarms/${sos.id}/call-list`)).body;
    expect(list.attempts.map((a: any) => [a.calleeName, a.outcome, a.actorName])).toEqual([
      ['儿子 01', 'no_answer', '张敏'],
      ['女儿 01', 'busy', '张敏'],
      ['周丽', 'answered', '张敏'],
    ]);
    const timeline = (await op1.get(`/api/alarms/${sos.id}`)).body.timeline;
    expect(timeline.filter((e: any) => e.action === 'call').map((e: any) => e.note)).toEqual([
      'called 儿子 01 (+86 138 0000 0001): no answer',
      'called 女儿 01 (+86 139 0000 0001): busy',
      'called 周丽 (+86 24 2345 6789): answered',
    ]);
    expect(timeline.find((e: any) => e.action === 'dispatch')).toMatchObject({
      code: 'dispatched',
      params: { type: 'community_worker', name: '周丽' },
    });
    // The same timeline worded in English by the console.
    await page.click(byTestId('language-switch'));
    await page.waitForFunction(
      (sel) =>
        [...(globalThis as any).document.querySelectorAll(sel)].some((e: any) =>
          e.textContent.includes('called 儿子 01 (+86 138 0000 0001): No answer'),
        ),
      byTestId('timeline-text'),
      { timeout: 10_000 },
    );
    await page.click(byTestId('language-switch'));

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(ARTIFACTS, `call-handling-detail-${size.width}x${size.height}.png`) });
    }
    expect(chrome.errors).toEqual([]);
  }, 90_000);
});

describe('hold', () => {
  it('parks a held alarm at the bottom and brings it back at its return time, sounded, above its peers', async () => {
    const page = await newPage();
    await signIn(page, OP1);
    const tamper = await alarmOf(homes[10], 'tamper');
    // Held from the detail (the form offers minutes)...
    await page.goto(`${hub.httpUrl}/alarms/${tamper.id}`);
    await page.fill(byTestId('hold-reason'), '等待安装人员回电');
    await page.selectOption(byTestId('hold-minutes'), '5');
    await page.click(byTestId('hold-submit'));
    await page.waitForSelector(byTestId('hold-status'));
    expect(await page.textContent(byTestId('hold-status'))).toContain('等待安装人员回电');
    await page.waitForFunction(
      (sel) =>
        [...(globalThis as any).document.querySelectorAll(sel)].some((e: any) => e.textContent.includes('暂挂至')),
      byTestId('timeline-text'),
    );

    await page.click(byTestId('back-to-queue'));
    await page.click(byTestId('tab-technical'));
    const technicalRows = () =>
      page.$$eval(byTestId('queue-row'), (els: any[]) =>
        els.map((e) => ({ id: e.dataset.alarmId, held: e.dataset.held, level: Number(e.dataset.escalation) })),
      );
    await page.waitForSelector(`${byTestId('queue-row')}[data-alarm-id="${tamper.id}"][data-held="true"]`);
    let rows = await technicalRows();
    expect(rows.at(-1)).toMatchObject({ id: tamper.id, held: 'true' });
    expect(await page.textContent(`${byTestId('queue-row')}[data-alarm-id="${tamper.id}"]`)).toContain('暂挂至');

    // ...then moved to a return time a few seconds away.
    const returnAt = Date.now() + 4000;
    const moved = await op1.post(`/api/alarms/${tamper.id}/hold`, {
      until: new Date(returnAt).toISOString(),
      reason: '等待安装人员回电',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.alarm).toMatchObject({ heldUntil: new Date(returnAt).toISOString(), holdEscalates: false });
    const before = Date.now();
    await page.waitForSelector(
      `${byTestId('queue-row')}[data-alarm-id="${tamper.id}"][data-held="false"][data-escalation="1"]`,
      { timeout: 15_000 },
    );
    const cameBackAfter = Date.now() - returnAt;
    expect(cameBackAfter).toBeGreaterThanOrEqual(-250); // not before its return time (clock granularity)
    expect(cameBackAfter).toBeLessThan(5000);
    rows = await technicalRows();
    expect(rows[0]).toMatchObject({ id: tamper.id, held: 'false', level: 1 });
    // Its severity's chime (minor: a 659 Hz sine), although it is not new.
    await page.waitForFunction(
      (since) =>
        ((globalThis as any).__tones as { type: string; hz: number; at: number }[]).some(
          (t) => t.at >= since && t.type === 'sine' && Math.round(t.hz) === 659,
        ),
      before,
      { timeout: 5000 },
    );
    // Screen readers hear it again too.
    await page.waitForFunction(
      (sel) => (globalThis as any).document.querySelector(sel)?.textContent.includes('暂挂到期'),
      byTestId('alarm-announcer'),
      { timeout: 5000 },
    );
    expect(await page.textContent(byTestId('alarm-announcer'))).toContain('住户 11');
    const detail = (await op1.get(`/api/alarms/${tamper.id}`)).body;
    expect(detail.alarm).toMatchObject({ heldUntil: null, escalationLevel: 1 });
    expect(detail.timeline.at(-1)).toMatchObject({
      action: 'hold_return',
      actor: 'system',
      code: 'hold_returned',
      params: { reason: '等待安装人员回电', level: 1 },
    });
  }, 60_000);

  it('a held critical keeps escalating unless a supervisor stops it; holds need a reason and a return time in the future', async () => {
    const sos = await alarmOf(homes[2], 'sos');
    const until = new Date(Date.now() + 30 * 60_000).toISOString();
    expect((await op1.post(`/api/alarms/${sos.id}/hold`, { until, reason: '' })).status).toBe(400);
    expect(
      (await op1.post(`/api/alarms/${sos.id}/hold`, { until: new Date(Date.now() - 1000).toISOString(), reason: 'x' }))
        .status,
    ).toBe(400);
    expect(
      (await op1.post(`/api/alarms/${sos.id}/hold`, { until, reason: '家属在路上', stopEscalation: true })).status,
    ).toBe(400);
    const held = await op1.post(`/api/alarms/${sos.id}/hold`, { until, reason: '家属在路上' });
    expect(held.body.alarm).toMatchObject({ holdEscalates: true, nextEscalationAt: expect.any(String) });
    const stopped = await sup.post(`/api/alarms/${sos.id}/hold`, { until, reason: '家属在路上', stopEscalation: true });
    expect(stopped.status).toBe(200);
    expect(stopped.body.alarm).toMatchObject({ holdEscalates: false, nextEscalationAt: null });
    const ended = await op1.post(`/api/alarms/${sos.id}/hold/end`);
    expect(ended.body.alarm).toMatchObject({
      heldUntil: null,
      escalationLevel: 0,
      nextEscalationAt: expect.any(String),
    });
  });
});

describe('history', () => {
  it('search finds a past alarm by resident, kind and outcome, pages, exports CSV and opens the resident timeline', async () => {
    const past = await alarmOf(homes[4], 'sos');
    expect((await op1.post(`/api/alarms/${past.id}/acknowledge`, {})).status).toBe(200);
    expect((await op1.post(`/api/alarms/${past.id}/resolve`, { outcome: 'false_alarm', note: '误按' })).status).toBe(
      200,
    );

    const page = await newPage();
    await signIn(page, OP1);
    await page.click(byTestId('nav-history'));
    await page.waitForSelector(byTestId('history-page'));
    await page.fill(byTestId('history-q'), '住户 05');
    await page.selectOption(byTestId('history-kind'), 'sos');
    await page.selectOption(byTestId('history-outcome'), 'false_alarm');
    await page.click(byTestId('history-search'));
    // The unfiltered first page may still be shown (it holds this alarm too): wait for the search's answer.
    await page.waitForFunction(
      (sel) => (globalThis as any).document.querySelectorAll(sel).length === 1,
      byTestId('history-row'),
      {
        timeout: 10_000,
      },
    );
    await page.waitForSelector(`${byTestId('history-row')}[data-alarm-id="${past.id}"]`, { timeout: 10_000 });
    expect(await page.$$eval(byTestId('history-row'), (els) => els.length)).toBe(1);
    expect(await page.textContent(byTestId('history-outcome-cell'))).toBe('误报');
    // Other words find nothing.
    await page.fill(byTestId('history-q'), '不存在的住户');
    await page.click(byTestId('history-search'));
    await page.waitForSelector(byTestId('history-empty'));

    // API: by resident id, open ones by outcome `open`, paging.
    const byResident = await op1.get(`/api/history/alarms?residentId=${homes[4].residentId}`);
    expect(byResident.body.items.map((a: any) => a.id)).toContain(past.id);
    const open = await op1.get(`/api/history/alarms?outcome=open&pageSize=20&page=2`);
    expect(open.body).toMatchObject({ page: 2, pageSize: 20 });
    expect(open.body.total).toBeGreaterThanOrEqual(45);
    expect(open.body.items).toHaveLength(20);
    expect(open.body.items.every((a: any) => a.state !== 'resolved')).toBe(true);
    const other = await admin.post('/api/organisations', { name: 'other' });
    expect((await op1.get(`/api/history/alarms?householdId=${other.body.id}`)).status).toBe(404);

    // The export button hands over the file of the current search (UTF-8 with BOM).
    await page.fill(byTestId('history-q'), '住户 05');
    await page.click(byTestId('history-search'));
    await page.waitForSelector(`${byTestId('history-row')}[data-alarm-id="${past.id}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId('history-export'))]);
    const saved = join(ARTIFACTS, 'call-handling-export.csv');
    await download.saveAs(saved);
    const file = readFileSync(saved);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.toString('utf8')).toContain(`${past.id},`);
    expect(file.toString('utf8')).not.toContain('住户 04');

    const csv = await fetch(`${hub.httpUrl}/api/history/alarms.csv?q=${encodeURIComponent('住户 05')}`, {
      headers: { authorization: op1Header },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      '报警编号,报警时间 (UTC),住户当地时间,类型,级别,状态,处理结果,住户,家庭,地址,床位,接警时间 (UTC),接警人,应答秒数,结束时间 (UTC),结束人',
    );
    const row = lines.find((l) => l.startsWith(past.id))!;
    expect(row).toContain(',false_alarm,住户 05,家庭 05,和平区 幸福路 5 号 6 单元,主卧床,');
    expect(row).toContain('(GMT+8)');
    expect(row).toContain('张敏');

    // The resident's timeline: the alarm and the button press behind it.
    await page.fill(byTestId('history-q'), '住户 05');
    await page.click(byTestId('history-search'));
    await page.click(`${byTestId('history-row')}[data-alarm-id="${past.id}"] ${byTestId('history-resident')}`);
    await page.waitForSelector(byTestId('resident-timeline-entry'));
    const types = await page.$$eval(byTestId('resident-timeline-entry'), (els: any[]) =>
      els.map((e) => e.dataset.type),
    );
    expect(types).toContain('alarm');
    expect(types).toContain('device_event');
    expect(await page.textContent(byTestId('resident-timeline-page'))).toContain('按下呼叫按钮');
    expect(chrome.errors).toEqual([]);
  }, 60_000);
});

describe('shift handover', () => {
  it('the outgoing shift writes open, held and follow-up matters; the next shift acknowledges it (who, when)', async () => {
    const held = await alarmOf(homes[12], 'tamper');
    const hold = await op1.post(`/api/alarms/${held.id}/hold`, {
      until: new Date(Date.now() + 3_600_000).toISOString(),
      reason: '安装人员明早上门',
    });
    expect(hold.status).toBe(200);
    const out = await newPage();
    await signIn(out, OP1);
    await out.click(byTestId('nav-handover'));
    await out.waitForSelector(byTestId('handover-item-open'));
    await out.fill(byTestId('handover-summary'), '夜班：1 起误按已处理，跌倒均已联系家属');
    await out.fill(byTestId('handover-followups'), '明早回访住户 01 家属\n确认住户 11 手环已修复');
    await out.click(byTestId('handover-submit'));
    await out.waitForSelector(byTestId('handover-entry'));
    expect(await out.textContent(byTestId('handover-entry'))).toContain('等待下一班确认');
    expect(await out.$(byTestId('handover-ack'))).toBeNull(); // not by its writer
    const entry = await out.textContent(byTestId('handover-entry'));
    expect(entry).toContain('张敏');
    expect(entry).toContain('明早回访住户 01 家属');

    const next = await newPage();
    await signIn(next, OP2);
    await next.click(byTestId('nav-handover'));
    await next.waitForSelector(byTestId('handover-ack'));
    const groups = await next.$$eval(`${byTestId('handover-items')} li`, (els) => els.length);
    expect(groups).toBeGreaterThanOrEqual(40); // open alarms, held ones and the two follow-ups
    await next.click(byTestId('handover-ack'));
    await next.waitForSelector(byTestId('handover-acknowledged'));
    expect(await next.textContent(byTestId('handover-acknowledged'))).toContain('王芳');

    const log = (await op1.get(`/api/organisations/${orgId}/handovers`)).body;
    expect(log[0]).toMatchObject({
      writtenBy: OP1.username,
      writtenByName: '张敏',
      acknowledgedBy: OP2.username,
      acknowledgedByName: '王芳',
      acknowledgedAt: expect.any(String),
    });
    expect(log[0].items.filter((i: any) => i.type === 'follow_up').map((i: any) => i.text)).toEqual([
      '明早回访住户 01 家属',
      '确认住户 11 手环已修复',
    ]);
    expect(log[0].items.find((i: any) => i.type === 'held')).toMatchObject({
      alarmId: held.id,
      holdReason: '安装人员明早上门',
    });
    // A second acknowledgement is refused.
    expect((await op1.post(`/api/organisations/${orgId}/handovers/${log[0].id}/acknowledge`)).status).toBe(409);

    await next.evaluate(() => (globalThis as any).scrollTo(0, 0));
    for (const size of SIZES) {
      await next.setViewportSize(size);
      await next.screenshot({ path: join(ARTIFACTS, `call-handling-handover-${size.width}x${size.height}.png`) });
    }
  }, 60_000);
});

describe('supervisor wallboard', () => {
  it('shows queue health, per-operator load and calls, and keeps auto-resolved device alarms out of the denominator', async () => {
    // A low battery that recovers before anyone acknowledged it resolves by itself.
    const low = await alarmOf(homes[25], 'low_battery');
    await battery(homes[25], 100);
    await waitFor(async () => (await op1.get(`/api/alarms/${low.id}`)).body.alarm.state === 'resolved', {
      timeoutMs: 15_000,
      what: 'low battery auto-resolved',
    });
    expect((await op1.get('/api/wallboard')).status).toBe(403);
    const board = (await sup.get('/api/wallboard')).body;
    expect(board.totals.autoResolved).toBeGreaterThanOrEqual(1);
    expect(board.totals.humanHandled + board.totals.autoResolved).toBe(board.totals.raised);
    const open = ((await sup.get('/api/alarms?state=open')).body as any[]).length;
    expect(board.queue.open).toBe(open);
    expect(board.queue.held).toBeGreaterThanOrEqual(0);
    const me = board.operators.find((o: any) => o.username === OP1.username);
    expect(me).toMatchObject({ displayName: '张敏', calls: 3 });

    const page = await newPage();
    await signIn(page, SUP);
    await page.click(byTestId('nav-wallboard'));
    await page.waitForSelector(byTestId('wallboard-operator'));
    expect(await page.textContent(`${byTestId('wb-open')} .kpi-value`)).toBe(String(open));
    expect(await page.textContent(`${byTestId('wallboard-operator')}[data-username="${OP1.username}"]`)).toContain(
      '张敏',
    );
    expect(await page.textContent(byTestId('wb-within60'))).toContain(
      `分母：${board.totals.humanHandled} 起人工处理告警`,
    );
    expect(await page.$$eval(byTestId('wallboard-day'), (els) => els.length)).toBeGreaterThanOrEqual(1);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(ARTIFACTS, `call-handling-wallboard-${size.width}x${size.height}.png`) });
    }
  }, 60_000);
});

describe('accessibility and screenshots', () => {
  it('axe-core finds no serious or critical violation on the queue, detail, wallboard and handover pages', async () => {
    const page = await newPage(SIZES[0], true);
    await signIn(page, SUP);
    const sos = await alarmOf(homes[6], 'sos');
    const pages: [string, string][] = [
      ['/', 'queue-page'],
      [`/alarms/${sos.id}`, 'call-list'],
      ['/wallboard', 'wallboard-operator'],
      ['/handover', 'handover-entry'],
      ['/history', 'history-row'],
    ];
    const found: Record<string, unknown> = {};
    for (const [path, ready] of pages) {
      await page.goto(`${hub.httpUrl}${path}`);
      await page.waitForSelector(byTestId(ready), { timeout: 15_000 });
      await page.waitForTimeout(300); // let data settle
      const { passed, violations } = await axeCheck(page);
      expect(passed).toBeGreaterThan(10); // axe really ran its rules on a rendered page
      if (violations.length) found[path] = violations;
    }
    expect(found).toEqual({});
    // New alarms are announced in a live region; the language button is named by its visible text.
    expect(await page.getAttribute(byTestId('alarm-announcer'), 'aria-live')).toMatch(/polite|assertive/);
    const lang = await page.$(byTestId('language-switch'));
    const visible = ((await lang!.textContent()) ?? '').trim();
    const accessibleName = await lang!.evaluate((e: any) => e.getAttribute('aria-label') ?? e.textContent);
    expect(visible.length).toBeGreaterThan(0);
    expect(accessibleName).toContain(visible);
  }, 90_000);
});
