import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Clock, DomainError, notFound } from '@bedside/common';
import { AuditRepository } from '../audit/audit.repository';
import type { AuthUser } from '../current-user.decorator';
import { IS_PUBLIC } from '../public.decorator';
import { Authenticator } from '../sessions/authenticator';
import { AccessRepository, ID_FORMAT } from './access.repository';
import { roleHas } from './role-permissions';
import { ROUTE_ACCESS, type ResourceRef, type RouteAccess } from './route-access';

type AuthRequest = Request & { user?: AuthUser; routeAccess?: RouteAccess };

/**
 * Enforces each route's @Authenticated() declaration before the handler runs: who is calling,
 * whether their role holds the permission, and whether every record the request names exists
 * and belongs to their organisation. Another organisation's record answers 404 exactly like a
 * missing one, so ids cannot be probed. A route without a declaration is refused.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  private readonly log = new Logger('Authorization');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly access: AccessRepository,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthRequest>();
    const declared = this.reflector.get<RouteAccess | undefined>(ROUTE_ACCESS, context.getHandler());
    if (!declared) {
      this.log.error({
        msg: 'route without an access declaration refused',
        route: `${context.getClass().name}.${context.getHandler().name}`,
      });
      throw new DomainError('FORBIDDEN', 'this route declares no access policy');
    }
    req.routeAccess = declared;
    const user = await this.authenticator.authenticate(req.headers.authorization ?? '', req.ip ?? '');
    req.user = user;
    if (!roleHas(user.role, declared.permission) || (declared.platform && user.organisationId !== null)) {
      await this.recordDenial(context, req, user, declared);
      throw new DomainError(
        'FORBIDDEN',
        declared.platform
          ? 'only a platform administrator may do this'
          : `your role (${user.role}) does not have the permission ${declared.permission}`,
        { permission: declared.permission, role: user.role },
      );
    }
    for (const ref of declared.owns ?? []) await this.checkOwnership(user, ref, valueOf(req, ref));
    return true;
  }

  private async checkOwnership(user: AuthUser, ref: ResourceRef, value: unknown): Promise<void> {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      // A body field of the wrong type is refused by the route's validation, naming it.
      if (ref.in === 'body') return;
      throw new DomainError('VALIDATION_FAILED', `${ref.in} parameter ${ref.name} must be given once, as text`, {
        field: `${ref.in}.${ref.name}`,
      });
    }
    const format = ID_FORMAT[ref.resource];
    if (!format.pattern.test(value)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `${ref.in === 'body' ? '' : `${ref.in} parameter `}${ref.name} must be ${format.description}`,
        { field: `${ref.in}.${ref.name}` },
      );
    }
    const owner = await this.access.organisationOf(ref.resource, value);
    if (owner === undefined || (user.organisationId !== null && owner !== user.organisationId))
      throw notFound(ref.resource, value);
  }

  // Refused attempts belong in the audit log too; the audit interceptor never sees them.
  private recordDenial(
    context: ExecutionContext,
    req: AuthRequest,
    user: AuthUser,
    declared: RouteAccess,
  ): Promise<void> {
    const [, , targetType, targetId] = req.path.split('/');
    return this.audit.append({
      at: new Date(this.clock.now()),
      actor: user.username,
      organisationId: user.organisationId,
      action: `denied ${req.method.toLowerCase()} ${context.getClass().name.replace(/Controller$/, '')}.${context.getHandler().name}`,
      targetType: targetType ?? null,
      targetId: targetId ?? null,
      status: 403,
      ip: req.ip ?? null,
      details: { method: req.method, path: req.path, role: user.role, permission: declared.permission },
    });
  }
}

function valueOf(req: AuthRequest, ref: ResourceRef): unknown {
  const source: unknown = ref.in === 'path' ? req.params : ref.in === 'query' ? req.query : req.body;
  return source && typeof source === 'object' ? (source as Record<string, unknown>)[ref.name] : undefined;
}
