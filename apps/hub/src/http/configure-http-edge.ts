import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { checkCrossSite } from './cross-site';
import { checkBodyHeaders, parseJsonBody, readBody, type JsonBodyLimits } from './json-body';
import { forceNoStore, isNoStorePath } from './no-store';
import { checkRequestTarget } from './request-target';
import { securityHeaders } from './security-headers';

export interface HttpEdgeOptions extends JsonBodyLimits {
  /** Origins besides the hub's own host allowed to change data from a browser. */
  allowedOrigins: readonly string[];
}

/**
 * Installs the HTTP edge in front of every route, in order: security headers, caching of API
 * answers, the request target, cross-site refusal, then the JSON body (media type, size, depth,
 * text). The app must be created with `bodyParser: false`: this is the only body parser. A
 * refusal is passed on to Nest's exception handling, so it gets the usual error shape.
 */
export function configureHttpEdge(app: NestExpressApplication, options: HttpEdgeOptions): void {
  app.disable('x-powered-by');
  app.use(securityHeaders());
  const allowedOrigins = new Set(options.allowedOrigins);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isNoStorePath(req.path)) forceNoStore(res);
    const refused =
      checkRequestTarget(req.originalUrl) ??
      checkCrossSite(req.method, req.headers, allowedOrigins) ??
      checkBodyHeaders(req, options);
    if (refused) {
      if (refused.status === 413) res.setHeader('connection', 'close'); // the unread body is not drained
      return next(refused);
    }
    readBody(req, options.maxBytes)
      .then((raw) => parseJsonBody(raw, options))
      .then((body) => {
        req.body = body;
        next();
      }, next);
  });
}
