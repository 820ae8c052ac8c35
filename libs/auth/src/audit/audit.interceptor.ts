import {
  HttpException,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { Clock, DOMAIN_ERROR_STATUS, DomainError } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import type { AuthUser } from '../current-user.decorator';
import type { RouteAccess } from '../policy/route-access';
import { AuditRepository } from './audit.repository';

/**
 * Records every change made through the API and every read of resident data, with its outcome:
 * who looked at which resident, and when. Routes declare whether they answer with resident
 * data (@Authenticated({ residentData: true })); lists are audited with the ids they returned.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly log = new Logger('Audit');

  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser; routeAccess?: RouteAccess }>();
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    const path = req.path;
    if (!req.user || (isRead && !req.routeAccess?.residentData)) return next.handle();
    const write = (status: number, answer?: unknown) => {
      const [, , type, id] = path.split('/');
      const details: Record<string, unknown> = { method: req.method, path };
      if (Object.keys(req.query ?? {}).length) details.query = req.query;
      if (!isRead && req.body && typeof req.body === 'object')
        details.body = redact(req.body as Record<string, unknown>);
      if (isRead && Array.isArray(answer))
        details.returned = { count: answer.length, ids: answer.slice(0, 500).map(idOf).filter(Boolean) };
      void this.audit
        .append({
          at: new Date(this.clock.now()),
          actor: req.user!.username,
          organisationId: req.user!.organisationId,
          action: `${isRead ? 'read' : req.method.toLowerCase()} ${context.getClass().name.replace(/Controller$/, '')}.${context.getHandler().name}`,
          targetType: type ?? null,
          targetId: id ?? null,
          status,
          ip: req.ip ?? null,
          details,
        })
        .catch((err) => {
          if (!this.database.unavailable('audit', err))
            this.log.error({ msg: 'audit entry not written', err: (err as Error).message, path });
        });
    };
    return next.handle().pipe(
      tap({
        next: (answer) => write(context.switchToHttp().getResponse<Response>().statusCode, answer),
        // The status the HTTP edge (http-exception.filter.ts) answers with.
        error: (err: unknown) =>
          write(
            err instanceof DomainError
              ? DOMAIN_ERROR_STATUS[err.code]
              : err instanceof HttpException
                ? err.getStatus()
                : 500,
          ),
      }),
    );
  }
}

const idOf = (item: unknown): unknown => (item && typeof item === 'object' && 'id' in item ? item.id : undefined);

function redact(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = /password|secret|token/i.test(k) ? '[redacted]' : v;
  return out;
}
