import type { ServerResponse } from 'node:http';

/** API answers that hold no resident data and may be cached. */
const CACHEABLE = new Set(['/api/openapi.json']);

export const isNoStorePath = (path: string) => (path === '/api' || path.startsWith('/api/')) && !CACHEABLE.has(path);

/**
 * Marks an /api answer `Cache-Control: no-store` (RFC 9111 §5.2.2.5): resident and health data
 * must not be kept by browsers or shared caches (OWASP REST Security Cheat Sheet). Applied as the
 * head is written, so a handler that sets its own caching (the SSE stream's `no-cache`) cannot
 * weaken it; `no-transform` is kept where a handler asked for it.
 */
export function forceNoStore(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const current = String(this.getHeader('cache-control') ?? '');
    this.setHeader('cache-control', /no-transform/i.test(current) ? 'no-store, no-transform' : 'no-store');
    return writeHead(...args);
  };
}
