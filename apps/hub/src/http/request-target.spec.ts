import { checkRequestTarget } from './request-target';

describe('checkRequestTarget', () => {
  it('accepts ordinary and percent-encoded UTF-8 targets', () => {
    expect(checkRequestTarget('/api/beds/7f3e?from=2025-01-01T00%3A00%3A00Z&name=%E6%9D%8E+x&flag')).toBeUndefined();
  });

  it('refuses malformed percent-encoding in the path with a 400 naming the path', () => {
    for (const url of ['/api/devices/%ZZ', '/api/devices/%E0%A4%A', '/api/devices/%ED%A0%80']) {
      expect(checkRequestTarget(url)).toMatchObject({
        status: 400,
        details: { field: 'path', reason: 'invalid-encoding' },
      });
    }
  });

  it('refuses U+0000 in the path', () => {
    expect(checkRequestTarget('/api/devices/a%00b')).toMatchObject({
      status: 400,
      message: 'path must not contain U+0000 (NUL)',
    });
  });

  it('names the query parameter', () => {
    expect(checkRequestTarget('/api/audit?limit=5&actor=%00')).toMatchObject({
      status: 400,
      details: { field: 'query.actor', reason: 'unsafe-text' },
    });
    expect(checkRequestTarget('/api/audit?actor=%E0%A4%A')).toMatchObject({
      status: 400,
      details: { field: 'query.actor', reason: 'invalid-encoding' },
    });
    expect(checkRequestTarget('/api/audit?%00=1')).toMatchObject({ status: 400, details: { field: 'query' } });
  });
});
