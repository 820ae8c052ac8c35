import type { Browser } from 'playwright-core';
import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { launchChromium } from './browser-fixture';

/**
 * The hardened HTTP edge as a client sees it: security headers on the console, Swagger UI and
 * the API (and Swagger UI actually working under the CSP in Chromium), no-store on API answers,
 * refusal of cross-site and non-JSON state changes, Retry-After on a throttled login, and no
 * published source maps. Needs `npm run build` first.
 */
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;

beforeAll(async () => {
  hub = await startHub({ LOGIN_FAILURES_MAX: '2' });
  api = hubApi(hub);
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

const headersOf = async (path: string, init: RequestInit = {}) =>
  (await fetch(hub.httpUrl + path, { ...init, headers: { authorization: hub.authHeader, ...init.headers } })).headers;

describe('security headers', () => {
  it.each(['/', '/api/docs', '/api/organisations', '/api/nope'])(
    '%s carries CSP, framing, sniffing and referrer headers, without X-Powered-By',
    async (path) => {
      const h = await headersOf(path);
      expect(h.get('content-security-policy')).toMatch(
        /default-src 'self'.*script-src 'self';.*frame-ancestors 'none'/,
      );
      expect(h.get('x-frame-options')).toBe('DENY');
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('x-powered-by')).toBeNull();
    },
  );

  it('marks API answers no-store, errors and the alarm stream included, but not the OpenAPI document', async () => {
    expect((await headersOf('/api/organisations')).get('cache-control')).toBe('no-store');
    expect((await headersOf('/api/beds/not-a-uuid')).get('cache-control')).toBe('no-store');
    const ctrl = new AbortController();
    const stream = await fetch(`${hub.httpUrl}/api/alarms/stream`, {
      headers: { authorization: hub.authHeader },
      signal: ctrl.signal,
    });
    expect(stream.headers.get('cache-control')).toMatch(/^no-store/);
    ctrl.abort();
    expect((await headersOf('/api/openapi.json')).get('cache-control') ?? '').not.toMatch(/no-store/);
  });

  it('serves no source maps of the console', async () => {
    const index = await (await fetch(`${hub.httpUrl}/`)).text();
    const scripts = [...index.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(await (await fetch(hub.httpUrl + src)).text()).not.toMatch(/sourceMappingURL/);
      const map = await fetch(`${hub.httpUrl}${src}.map`);
      expect(await map.text()).not.toMatch(/"mappings"/);
    }
  });

  it('Swagger UI renders under the CSP in Chromium, without violations', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on(
        'console',
        (msg) => /Content Security Policy|Refused to/i.test(msg.text()) && violations.push(msg.text()),
      );
      page.on('pageerror', (err) => violations.push(err.message));
      await page.goto(`${hub.httpUrl}/api/docs`);
      await page.waitForSelector('.opblock-tag', { timeout: 15_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
      expect(violations).toEqual([]);
    } finally {
      await browser?.close();
    }
  }, 40_000);
});

describe('cross-site and non-JSON state changes', () => {
  const createOrg = (headers: Record<string, string>, body = JSON.stringify({ name: 'edge org' })) =>
    fetch(`${hub.httpUrl}/api/organisations`, {
      method: 'POST',
      headers: { authorization: hub.authHeader, 'content-type': 'application/json', ...headers },
      body,
    });

  it('refuses a request another origin sends with cached credentials', async () => {
    const r = await createOrg({ origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST_REFUSED' });
  });

  it('refuses what Fetch Metadata marks cross-site or same-site', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const r = await createOrg({ 'sec-fetch-site': site });
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST_REFUSED' });
    }
  });

  it('refuses form, multipart and text bodies with 415 (what a cross-site form can send)', async () => {
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', 'name=x'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--'],
      ['text/plain', '{"name":"x"}'],
    ];
    for (const [type, body] of bodies) {
      const r = await createOrg({ 'content-type': type }, body);
      expect(r.status).toBe(415);
      expect(await r.json()).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringMatching(/application\/json/),
      });
    }
  });

  it('accepts the same request from its own origin, and from a client that is not a browser', async () => {
    expect((await createOrg({ origin: hub.httpUrl, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await api.post('/api/organisations', { name: 'curl org' })).status).toBe(201);
  });

  it('does not refuse cross-site reads, which get no CORS grant and CORP same-origin', async () => {
    const r = await fetch(`${hub.httpUrl}/api/organisations`, {
      headers: { authorization: hub.authHeader, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

describe('limits', () => {
  it('refuses a body over the size limit with 413', async () => {
    const r = await api.call('POST', '/api/organisations', { name: 'x'.repeat(300 * 1024) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('sends Retry-After with a throttled login', async () => {
    const login = () =>
      fetch(`${hub.httpUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
      });
    expect((await login()).status).toBe(401);
    expect((await login()).status).toBe(401);
    const throttled = await login();
    expect(throttled.status).toBe(429);
    const seconds = Number(throttled.headers.get('retry-after'));
    expect(Number.isInteger(seconds) && seconds > 0 && seconds <= 15 * 60).toBe(true);
  });
});
