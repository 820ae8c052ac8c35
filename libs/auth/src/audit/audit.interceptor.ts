import { HttpException, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { Clock, DOMAIN_ERROR_STATUS, DomainError } from '@bedside/common';
import type { AuthUser } from '../current-user.decorator';
import { AuditRepository } from './audit.repository';

// Reads of personal data are audited too (who looked at which resident, and when).
const AUDITED_READS = /^\/api\/(residents|households|beds|alarms)\/[^/]+/;

/** Records every change made through the API and every read of resident data, with its outcome. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly log = new Logger('Audit');

  constructor(private readonly audit: AuditRepository, private readonly clock: Clock) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    const path = req.path;
    if (!req.user || (isRead && !AUDITED_READS.test(path)) || path.endsWith('/stream')) return next.handle();
    const write = (status: number) => {
      const [, , type, id] = path.split('/');
      const details: Record<string, unknown> = { method: req.method, path };
      if (!isRead && req.body && typeof req.body === 'object') details.body = redact(req.body as Record<string, unknown>);
      void this.audit.append({
        at: new Date(this.clock.now()), actor: req.user!.username, organisationId: req.user!.organisationId,
        action: `${isRead ? 'read' : req.method.toLowerCase()} ${context.getClass().name.replace(/Controller$/, '')}.${context.getHandler().name}`,
        targetType: type ?? null, targetId: id ?? null, status, ip: req.ip ?? null, details,
      }).catch((err) => this.log.error({ msg: 'audit entry not written', err: (err as Error).message, path }));
    };
    return next.handle().pipe(tap({
      next: () => write(context.switchToHttp().getResponse<Response>().statusCode),
      // The status the HTTP edge (http-exception.filter.ts) answers with.
      error: (err: unknown) => write(err instanceof DomainError ? DOMAIN_ERROR_STATUS[err.code] : err instanceof HttpException ? err.getStatus() : 500),
    }));
  }
}

function redact(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = /password|secret|token/i.test(k) ? '[redacted]' : v;
  return out;
}
