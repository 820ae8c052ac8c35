import { checkCrossSite } from './cross-site';

const none = new Set<string>();

describe('checkCrossSite', () => {
  it('lets reads through whatever their origin', () => {
    expect(
      checkCrossSite('GET', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', host: 'hub' }, none),
    ).toBeUndefined();
  });

  it('lets non-browser clients (no Origin, no Sec-Fetch-Site) change data', () => {
    expect(checkCrossSite('POST', { host: 'hub:3000' }, none)).toBeUndefined();
  });

  it('lets same-origin browser requests change data', () => {
    expect(
      checkCrossSite('POST', { host: 'hub:3000', origin: 'http://hub:3000', 'sec-fetch-site': 'same-origin' }, none),
    ).toBeUndefined();
    expect(checkCrossSite('DELETE', { host: 'hub:3000', 'sec-fetch-site': 'none' }, none)).toBeUndefined();
  });

  it('refuses cross-site and same-site requests by Fetch Metadata', () => {
    for (const site of ['cross-site', 'same-site']) {
      expect(checkCrossSite('PATCH', { host: 'hub:3000', 'sec-fetch-site': site }, none)).toMatchObject({
        status: 403,
        code: 'CROSS_SITE_REQUEST_REFUSED',
      });
    }
  });

  it('refuses an Origin of another host, or an opaque one', () => {
    expect(checkCrossSite('POST', { host: 'hub:3000', origin: 'http://hub:4000' }, none)).toMatchObject({
      status: 403,
    });
    expect(checkCrossSite('PUT', { host: 'hub:3000', origin: 'null' }, none)).toMatchObject({ status: 403 });
  });

  it('accepts an allowed origin', () => {
    expect(
      checkCrossSite(
        'POST',
        { host: 'internal:3000', origin: 'https://console.example.org' },
        new Set(['https://console.example.org']),
      ),
    ).toBeUndefined();
  });
});
