import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { ARTIFACTS, byTestId, ConsoleBrowser, requireBuiltConsole } from './browser-fixture';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * The call-centre console in a real browser (Debian's Chromium, driven by playwright-core):
 * an operator signs in, a call button raises an SOS over MQTT, the alarm appears in the live
 * queue without a reload, and the operator acknowledges, dispatches, notes and resolves it while
 * the timeline records each step. Screenshots of the queue and the detail go to test-artifacts/.
 *
 * Needs `npm run build` first (it builds the console into dist/console, which the hub serves).
 */
const OPERATOR = { username: 'console-op', password: 'console-op-copper-kettle', displayName: '张敏' };
const SUPERVISOR = { username: 'console-sup', password: 'console-sup-copper-kettle', displayName: '李主管' };

let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let bed: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;
let chrome: ConsoleBrowser;
let page: Page;
let consoleUrl: string;
let button: MqttClient | null = null;

beforeAll(async () => {
  requireBuiltConsole();

  hub = await startHub();
  api = hubApi(hub);
  bed = await api.provisionBed('console');
  for (const [u, role] of [
    [OPERATOR, 'operator'],
    [SUPERVISOR, 'supervisor'],
  ] as const) {
    const user = await api.post('/api/users', { ...u, role, organisationId: bed.org.id });
    if (user.status !== 201) throw new Error(`POST /api/users answered ${user.status}: ${JSON.stringify(user.body)}`);
  }

  consoleUrl = await consoleOrigin();
  chrome = await ConsoleBrowser.launch();
  page = await chrome.newPage();
}, 120_000);

afterAll(async () => {
  await button?.endAsync().catch(() => undefined);
  await chrome?.close();
  await hub?.dispose();
}, 30_000);

/** The hub serves the built SPA at `/`, with index.html for client-side routes. */
async function consoleOrigin(): Promise<string> {
  const servesSpa = async (path: string) => {
    const r = await fetch(`${hub.httpUrl}${path}`);
    return r.ok && (await r.text()).includes('<div id="root">');
  };
  expect(await servesSpa('/')).toBe(true);
  expect(await servesSpa('/alarms/00000000-0000-0000-0000-000000000000')).toBe(true);
  return hub.httpUrl;
}

describe('call-centre console in Chromium', () => {
  it('refuses a wrong password with an inline message', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.waitForSelector(byTestId('login-page'));
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.fill(byTestId('login-username'), OPERATOR.username);
    await page.fill(byTestId('login-password'), 'not-the-password');
    await page.click(byTestId('login-submit'));
    await page.waitForSelector(byTestId('login-error'));
    expect(await page.textContent(byTestId('login-error'))).toContain('用户名或密码错误');
  }, 30_000);

  it('signs in and shows the live queue, connected to the stream', async () => {
    await page.fill(byTestId('login-username'), OPERATOR.username);
    await page.fill(byTestId('login-password'), OPERATOR.password);
    await page.click(byTestId('login-submit'));
    await page.waitForSelector(byTestId('queue-page'));
    await page.waitForSelector(`${byTestId('stream-status')}[data-status="live"]`, { timeout: 15_000 });
    expect(await page.textContent(byTestId('current-user'))).toContain(OPERATOR.displayName);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('bedside.session'))).toContain(
      '"token"',
    );
  }, 30_000);

  let alarmId: string;

  it('has vitals from the last minutes for the chart', async () => {
    const now = Date.now();
    const mattress = bed.devices.mattress.credentials as Creds;
    const wearable = bed.devices.wearable.credentials as Creds;
    const m = await connectDevice(hub.mqttUrl, mattress);
    const w = await connectDevice(hub.mqttUrl, wearable);
    const times = Array.from({ length: 40 }, (_, i) => now - 10 * 60_000 + i * 15_000);
    await m.publishAsync(
      telemetryTopic(mattress.deviceId),
      JSON.stringify({
        ts: now,
        seq: 1,
        samples: times.map((ts, i) => ({
          ts,
          inBed: true,
          heartRate: 68 + (i % 7),
          respirationRate: 14 + (i % 4),
          movement: 5,
          signalQuality: 95,
        })),
      }),
      { qos: 1 },
    );
    await w.publishAsync(
      telemetryTopic(wearable.deviceId),
      JSON.stringify({
        ts: now,
        seq: 1,
        samples: times.map((ts, i) => ({ ts, worn: true, heartRate: 70 + (i % 5), spo2: 95 + (i % 3), battery: 80 })),
      }),
      { qos: 1 },
    );
    await Promise.all([m.endAsync(), w.endAsync()]);
    const q = `from=${new Date(now - 15 * 60_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}&interval=30s&fields=heartRate,respirationRate,spo2`;
    await waitFor(async () => ((await api.get(`/api/beds/${bed.bed.id}/vitals?${q}`)).body?.buckets ?? []).length > 0, {
      what: 'vitals stored',
      timeoutMs: 15_000,
    });
  }, 30_000);

  it('shows an SOS from the call button without a reload, sounding until acknowledged', async () => {
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    const creds = bed.devices.button.credentials as Creds;
    button = await connectDevice(hub.mqttUrl, creds);
    await button.publishAsync(
      eventsTopic(creds.deviceId),
      JSON.stringify({ eventId: 'sos-console-1', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );

    const row = await page.waitForSelector(`${byTestId('queue-row')}[data-severity="critical"]`, { timeout: 15_000 });
    alarmId = (await row.getAttribute('data-alarm-id'))!;
    expect(alarmId).toBeTruthy();
    expect(await row.getAttribute('data-state')).toBe('raised');
    expect(await row.textContent()).toContain('紧急呼叫');
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true); // no reload
    await page.waitForSelector(`${byTestId('sound-indicator')}[data-alerting="true"]`);

    // the row's age ticks live
    const age1 = await row.$eval(byTestId('alarm-age'), (e) => e.textContent);
    await page.waitForFunction(
      ([sel, before]) => (globalThis as any).document.querySelector(sel)?.textContent !== before,
      [`${byTestId('queue-row')}[data-alarm-id="${alarmId}"] ${byTestId('alarm-age')}`, age1] as const,
      { timeout: 5000 },
    );
    await page.waitForTimeout(300); // let bed labels settle for the screenshot
    await page.screenshot({ path: join(ARTIFACTS, 'console-queue.png'), fullPage: true });
  }, 45_000);

  it('opens the alarm with the resident card, contacts in call order and devices', async () => {
    await page.click(`${byTestId('queue-row')}[data-alarm-id="${alarmId}"]`);
    await page.waitForSelector(`${byTestId('detail-page')}[data-alarm-id="${alarmId}"]`);
    expect(new URL(page.url()).pathname).toBe(`/alarms/${alarmId}`);
    await page.waitForSelector(byTestId('resident-name'));
    expect(await page.textContent(byTestId('resident-name'))).toContain('resident console');
    expect(await page.textContent(byTestId('resident-address'))).toContain('1 Test Road');
    const tel = await page.getAttribute(`${byTestId('contact')} ${byTestId('contact-phone')}`, 'href');
    expect(tel).toBe('tel:+8613800000001');
    await page.waitForSelector(byTestId('device'));
    await page.waitForSelector(`${byTestId('vitals-chart')} canvas`);
    expect(await actions()).toContain('raise');
  }, 30_000);

  it('acknowledges: the alarm stops sounding and the timeline shows it', async () => {
    await page.click(byTestId('acknowledge'));
    await page.waitForSelector(`${byTestId('alarm-summary')}[data-state="acknowledged"]`);
    await waitFor(async () => (await actions()).includes('acknowledge'), { what: 'acknowledge in the timeline' });
    await page.waitForSelector(`${byTestId('sound-indicator')}[data-alerting="false"]`);
  }, 30_000);

  it('dispatches a key-holder and follows the work order', async () => {
    await page.waitForSelector(byTestId('dispatch-panel'));
    await page.selectOption(byTestId('dispatch-type'), 'keyholder');
    await page.fill(byTestId('dispatch-name'), 'Son');
    await page.fill(byTestId('dispatch-note'), '带钥匙上门');
    await page.click(byTestId('dispatch-submit'));
    await page.waitForSelector(byTestId('dispatch'), { timeout: 10_000 });
    await page.click(byTestId('dispatch-set-en_route'));
    await page.waitForSelector(`${byTestId('dispatch')}[data-status="en_route"]`);
    await page.click(byTestId('dispatch-set-on_site'));
    await page.waitForSelector(`${byTestId('dispatch')}[data-status="on_site"]`);
    await waitFor(async () => (await actions()).some((a) => a.includes('dispatch')), {
      what: 'dispatch in the timeline',
    });
  }, 30_000);

  it('adds a note that lands in the timeline', async () => {
    await page.fill(byTestId('note-text'), '已联系儿子，正在赶往');
    await page.click(byTestId('note-submit'));
    await page.waitForFunction(
      (sel) =>
        [...(globalThis as any).document.querySelectorAll(sel)].some((e: any) => e.textContent?.includes('已联系儿子')),
      byTestId('timeline-entry'),
    );
  }, 30_000);

  it('resolves with an outcome; the timeline shows every step and the queue lets it go', async () => {
    await page.screenshot({ path: join(ARTIFACTS, 'console-detail.png'), fullPage: true });
    await page.selectOption(byTestId('resolve-outcome'), 'assisted');
    await page.fill(byTestId('resolve-note'), '老人起身时摔倒，已扶起，无外伤');
    await page.click(byTestId('resolve-submit'));
    await page.waitForSelector(`${byTestId('alarm-summary')}[data-state="resolved"]`);
    expect(await page.textContent(byTestId('alarm-outcome'))).toContain('已协助');
    await waitFor(async () => (await actions()).includes('resolve'), { what: 'resolve in the timeline' });
    const steps = await actions();
    expect(steps.indexOf('raise')).toBeLessThan(steps.indexOf('acknowledge'));
    expect(steps.indexOf('acknowledge')).toBeLessThan(steps.indexOf('resolve'));
    await page.screenshot({ path: join(ARTIFACTS, 'console-detail-resolved.png'), fullPage: true });

    await page.click(byTestId('back-to-queue'));
    await page.waitForSelector(byTestId('queue-page'));
    expect(await page.$(`${byTestId('queue-row')}[data-alarm-id="${alarmId}"]`)).toBeNull();
  }, 30_000);

  it('switches to English and keeps the choice', async () => {
    await page.click(byTestId('language-switch'));
    await page.waitForFunction(() => (globalThis as any).document.documentElement.lang === 'en');
    expect(await page.textContent(byTestId('nav-queue'))).toBe('Live queue');
    await page.reload();
    await page.waitForSelector(byTestId('queue-page'));
    expect(await page.textContent(byTestId('nav-queue'))).toBe('Live queue');
  }, 30_000);

  it('logs out; a supervisor sees the KPIs of the shift', async () => {
    expect(await page.$(byTestId('nav-supervisor'))).toBeNull(); // operators have no supervisor view
    await page.click(byTestId('logout'));
    await page.waitForSelector(byTestId('login-page'));
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('bedside.session'))).toBeNull();
    await page.fill(byTestId('login-username'), SUPERVISOR.username);
    await page.fill(byTestId('login-password'), SUPERVISOR.password);
    await page.click(byTestId('login-submit'));
    // In English the supervisor's menu is longer than the bar at this size: the rest is behind "More".
    await page.waitForSelector(`${byTestId('nav-supervisor')}, ${byTestId('nav-more')}`);
    if (!(await page.isVisible(byTestId('nav-supervisor')))) await page.click(byTestId('nav-more'));
    await page.click(byTestId('nav-supervisor'));
    await page.waitForSelector(byTestId('kpi-ack-p50'));
    expect(await page.textContent(byTestId('kpi-within-60'))).toMatch(/%/); // the acknowledged SOS counts
    await page.waitForSelector(byTestId('kpi-false-alarm'));
    expect(await page.textContent(byTestId('kpi-open-by-age'))).toContain('under 1 min'); // the UI is in English by now, no raw "<1m"
    expect(await page.textContent(byTestId('kpi-open-by-age'))).not.toContain('<1m');
    await page.screenshot({ path: join(ARTIFACTS, 'console-supervisor.png'), fullPage: true });
    expect(chrome.errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  }, 30_000);
});

/** The timeline's actions, oldest first. */
function actions(): Promise<string[]> {
  return page.$$eval('[data-testid="timeline-entry"]', (els) => els.map((e) => e.getAttribute('data-action') ?? ''));
}
