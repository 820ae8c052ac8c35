import type { ArgumentsHost } from '@nestjs/common';
import { HttpException } from '@nestjs/common';
import { DomainError } from '@bedside/common';
import { HttpExceptionFilter } from './http-exception.filter';
import { EdgeError } from './http/edge-error';

function answer(err: unknown) {
  const out = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    setHeader: (k: string, v: string) => void (out.headers[k.toLowerCase()] = v),
    status(s: number) {
      out.status = s;
      return this;
    },
    json: (b: unknown) => void (out.body = b),
  };
  const database = { unavailable: (_source: string, e: unknown) => (e as { code?: string }).code === '57P01' };
  new HttpExceptionFilter(database).catch(err, {
    switchToHttp: () => ({ getResponse: () => res }),
  } as unknown as ArgumentsHost);
  return out;
}

describe('HttpExceptionFilter', () => {
  it('answers a database outage 503 with a short Retry-After, not a logged 500', () => {
    const r = answer(
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    expect(r).toMatchObject({ status: 503, body: { code: 'DATABASE_UNAVAILABLE' } });
    expect(r.headers['retry-after']).toBe('5');
  });

  it("sets Retry-After on a 429 from the error's details", () => {
    const r = answer(new DomainError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 41.2 }));
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('42');
  });

  it('sets a Retry-After on every 429, even without details', () => {
    expect(answer(new DomainError('RATE_LIMITED', 'slow down')).headers['retry-after']).toMatch(/^\d+$/);
    expect(answer(new HttpException('too many', 429)).headers['retry-after']).toMatch(/^\d+$/);
  });

  it('answers an edge refusal with its status and code', () => {
    const r = answer(new EdgeError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json'));
    expect(r).toMatchObject({
      status: 415,
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' },
    });
    expect(r.headers['retry-after']).toBeUndefined();
  });
});
