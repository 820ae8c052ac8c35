import type { IncomingHttpHeaders } from 'node:http';
import { EdgeError } from './edge-error';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses a state-changing request that a browser sent on behalf of another site: cached HTTP
 * Basic credentials and cookies ride along on such requests, so the origin must be checked
 * (OWASP CSRF Prevention Cheat Sheet: Fetch Metadata, verifying origin with standard headers).
 * Fetch Metadata `Sec-Fetch-Site` (W3C) is trusted when present; otherwise `Origin` (RFC 6454)
 * must name this host or one of `allowedOrigins`. Clients that send neither (curl, devices,
 * server-to-server) are not browsers acting for a third party and pass.
 */
export function checkCrossSite(
  method: string,
  headers: IncomingHttpHeaders,
  allowedOrigins: ReadonlySet<string>,
): EdgeError | undefined {
  if (!STATE_CHANGING.has(method.toUpperCase())) return undefined;
  const site = headerValue(headers['sec-fetch-site']);
  if (site === 'cross-site' || site === 'same-site') {
    return refuse(`a ${site} browser request may not change data`, { secFetchSite: site });
  }
  const origin = headerValue(headers.origin);
  if (origin === undefined) return undefined;
  if (allowedOrigins.has(origin)) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host; // "null" (opaque origin) throws and is refused
  } catch {
    return refuse('the request comes from an opaque or malformed origin', { origin });
  }
  if (originHost !== headerValue(headers.host)?.toLowerCase()) {
    return refuse(`origin ${origin} may not change data on this host`, { origin });
  }
  return undefined;
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const refuse = (message: string, details: Record<string, unknown>) =>
  new EdgeError(403, 'CROSS_SITE_REQUEST_REFUSED', message, details);
