import type { Params } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';

/**
 * Fields never written to the log, wherever they appear at the top level or one level down
 * (OWASP Logging Cheat Sheet: no passwords, session ids, access tokens, secrets or sensitive
 * personal data). A second line of defence behind the serializers below.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...['authorization', 'password', 'passwordHash', 'secret', 'token', 'credentials', 'body'].flatMap((k) => [
    k,
    `*.${k}`,
  ]),
];

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
}

/**
 * Logger settings of the hub. A request is logged as its id, method and path only: headers carry
 * credentials (Authorization, Cookie), bodies and query strings carry resident data. Log lines
 * written while a request is handled are bound to its id only (`quietReqLogger`).
 */
export function loggerOptions(level: LevelWithSilent): Params {
  return {
    pinoHttp: {
      level,
      autoLogging: false,
      base: { service: 'bedside-hub' },
      quietReqLogger: true,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: SerializedRequest) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
