import type { Request, Response } from 'express';
import { securityHeaders } from './security-headers';

function headersOf(): Record<string, string> {
  const headers: Record<string, string> = { 'x-powered-by': 'Express' };
  const res = {
    setHeader: (k: string, v: string) => void (headers[k.toLowerCase()] = String(v)),
    removeHeader: (k: string) => void delete headers[k.toLowerCase()],
  } as unknown as Response;
  securityHeaders()({ method: 'GET', headers: {} } as Request, res, () => undefined);
  return headers;
}

describe('securityHeaders', () => {
  const h = headersOf();

  it('sends a strict script policy and forbids framing', () => {
    const csp = Object.fromEntries(
      h['content-security-policy'].split(';').map((d) => {
        const [k, ...v] = d.trim().split(' ');
        return [k, v.join(' ')];
      }),
    );
    expect(csp['script-src']).toBe("'self'");
    expect(csp['default-src']).toBe("'self'");
    expect(csp['frame-ancestors']).toBe("'none'");
    expect(csp['object-src']).toBe("'none'");
    expect(h['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(h['x-frame-options']).toBe('DENY');
  });

  it('sends nosniff and a referrer policy, and drops X-Powered-By', () => {
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['x-powered-by']).toBeUndefined();
  });
});
