import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * What the browser specs share: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), pages of the console with their errors collected, signing in through the login
 * page, the tones the console plays, and axe-core checks.
 */
export const ROOT = resolve(__dirname, '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CONSOLE_DIR = join(ROOT, 'dist/console');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');

export const byTestId = (id: string) => `[data-testid="${id}"]`;
export const pad = (i: number) => String(i).padStart(2, '0');

/** The hub serves the console from dist/console: fails early when it is not built; makes test-artifacts/. */
export function requireBuiltConsole(): void {
  if (!existsSync(join(CONSOLE_DIR, 'index.html')))
    throw new Error(`${CONSOLE_DIR}/index.html is missing: run "npm run build" first`);
  mkdirSync(ARTIFACTS, { recursive: true });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (never download a browser)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // the console sounds alarms without a click first, as on a call-centre workstation
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Records every tone the console starts (Web Audio), so a test can hear what it plays. */
const RECORD_TONES = () => {
  const w = globalThis as any;
  w.__tones = [];
  const start = w.OscillatorNode.prototype.start;
  w.OscillatorNode.prototype.start = function (this: any, ...args: unknown[]) {
    w.__tones.push({ type: this.type, hz: this.frequency.value, at: Date.now() });
    return start.apply(this, args);
  };
};

export interface ConsolePageOptions {
  locale?: string;
  timezoneId?: string;
  viewport?: { width: number; height: number };
  /** Only to inject axe-core, which the console's CSP (script-src 'self') rightly refuses. */
  bypassCSP?: boolean;
  acceptDownloads?: boolean;
  /** Record the tones the page plays (see tonesSince). */
  recordTones?: boolean;
  /** Besides uncaught page errors, collect the browser console's error lines. */
  consoleErrors?: boolean;
}

/** One Chromium for a spec: pages in their own contexts, every page's errors in `errors`. */
export class ConsoleBrowser {
  readonly errors: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<ConsoleBrowser> {
    return new ConsoleBrowser(await launchChromium());
  }

  async newPage(opts: ConsolePageOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({
      locale: opts.locale ?? 'zh-CN',
      timezoneId: opts.timezoneId ?? 'Asia/Shanghai',
      viewport: opts.viewport ?? { width: 1440, height: 900 },
      bypassCSP: opts.bypassCSP,
      acceptDownloads: opts.acceptDownloads,
    });
    this.contexts.push(context);
    if (opts.recordTones) await context.addInitScript(RECORD_TONES);
    const page = await context.newPage();
    page.on('pageerror', (err) => this.errors.push(`pageerror: ${err.message}`));
    if (opts.consoleErrors ?? true)
      page.on('console', (msg) => msg.type() === 'error' && this.errors.push(`console: ${msg.text()}`));
    return page;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser.close();
  }
}

/**
 * Signs in through the console's login page, then waits for the queue, or (`live`) for the
 * alarm stream to be connected as well.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  user: { username: string; password: string },
  until: 'queue' | 'live' = 'live',
): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector(byTestId('login-page'));
  await page.fill(byTestId('login-username'), user.username);
  await page.fill(byTestId('login-password'), user.password);
  await page.click(byTestId('login-submit'));
  if (until === 'queue') await page.waitForSelector(byTestId('queue-page'));
  else await page.waitForSelector(`${byTestId('stream-status')}[data-status="live"]`, { timeout: 15_000 });
}

/** Tones started since `since` (epoch ms) with this oscillator type, on a page with recordTones. */
export const tonesSince = (page: Page, since: number, type: string) =>
  page.evaluate(
    ([s, ty]) =>
      ((globalThis as any).__tones as { type: string; at: number }[]).filter((x) => x.at >= s && x.type === ty).length,
    [since, type] as const,
  );

/** Runs axe-core in the page (opened with bypassCSP): the serious and critical violations, and how many rules passed. */
export async function axeCheck(
  page: Page,
): Promise<{ passed: number; violations: { id: string; impact: string; nodes: string[] }[] }> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run((globalThis as any).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      passed: (result.passes as unknown[]).length,
      violations: (result.violations as any[])
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')) })),
    };
  });
}
