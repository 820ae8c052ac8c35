import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Response headers every answer carries (OWASP Secure Headers Project), via helmet. The CSP
 * (W3C CSP Level 3) is written out rather than taken from helmet's defaults:
 * - scripts only from this origin: the console is a Vite build of external modules, and Swagger
 *   UI at /api/docs loads its bundle and init script as files;
 * - styles also 'unsafe-inline': Swagger UI's page has an inline <style> block and style
 *   attributes in its markup; ECharts and React set styles through the CSSOM, which CSP does not
 *   restrict. Scripts stay strict, which is what stops injected code from running;
 * - images also data: (Swagger UI's icons, the console's empty favicon);
 * - frame-ancestors 'none' (and X-Frame-Options DENY for older browsers) against clickjacking;
 * - no upgrade-insecure-requests: the hub is also reached over plain HTTP on a local network,
 *   where upgraded asset requests would fail; HSTS covers deployments behind TLS.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // helmet also sets X-Content-Type-Options: nosniff, Cross-Origin-Opener-Policy and
    // Cross-Origin-Resource-Policy: same-origin, Strict-Transport-Security, and drops X-Powered-By.
  }) as RequestHandler;
}
