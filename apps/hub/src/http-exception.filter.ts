import { ArgumentsHost, Catch, HttpException, Inject, Logger, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { DOMAIN_ERROR_STATUS, DomainError } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import { EdgeError } from './http/edge-error';

/** Used when a 429 does not say when to retry. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** A database outage is usually seconds (a failover, a restart): come back soon. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The REST edge's one error shape: `{ code, message, details? }`. Domain errors map by code;
 * refusals of the HTTP edge carry their own status; Nest's own HTTP errors (validation, 404
 * routes) keep their status; a database outage is a 503 with Retry-After, logged once as part of
 * the outage; anything else is a 500 with an error id that is also logged, so support can find it.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  constructor(@Inject(DatabaseHealth) private readonly database: Pick<DatabaseHealth, 'unavailable'>) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (err instanceof DomainError) {
      const status = DOMAIN_ERROR_STATUS[err.code];
      if (status === 429) res.setHeader('retry-after', String(retryAfterSeconds(err.details)));
      if (err.code === 'DATABASE_UNAVAILABLE') res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      res.status(status).json({ code: err.code, message: err.message, ...(err.details && { details: err.details }) });
      return;
    }
    if (err instanceof EdgeError) {
      res
        .status(err.status)
        .json({ code: err.code, message: err.message, ...(err.details && { details: err.details }) });
      return;
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse();
      const messages = typeof body === 'object' && body && 'message' in body ? body.message : err.message;
      const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
      if (status === 429) res.setHeader('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS));
      res.status(status).json({
        code: status === 400 ? 'VALIDATION_FAILED' : `HTTP_${status}`,
        message: list.join('; '),
        ...(Array.isArray(messages) && { details: { errors: list } }),
      });
      return;
    }
    if (this.database.unavailable('http', err)) {
      res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      res.status(503).json({ code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; retry shortly' });
      return;
    }
    const errorId = randomUUID();
    this.log.error({
      msg: 'unhandled error',
      errorId,
      err: err instanceof Error ? { message: err.message, stack: err.stack } : err,
    });
    res
      .status(500)
      .json({ code: 'INTERNAL', message: 'internal error; quote the error id when reporting it', errorId });
  }
}

/** Retry-After in delay-seconds (RFC 9110 §10.2.3), sent with every 429 so clients know when to come back (RFC 6585 §4). */
function retryAfterSeconds(details: Record<string, unknown> | undefined): number {
  const s = details?.retryAfterSeconds;
  return typeof s === 'number' && Number.isFinite(s) && s >= 0
    ? Math.max(1, Math.ceil(s))
    : DEFAULT_RETRY_AFTER_SECONDS;
}
