import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { Clock, DomainError } from '@bedside/common';
import type { AuthUser, Role } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';
import { ROLES } from './roles.decorator';
import { SessionRepository } from './sessions/session.repository';
import { AuditRepository } from './audit/audit.repository';

export class AdminCredentials {
  constructor(readonly username: string, readonly password: string) {}
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Every REST route needs a signed-in user unless marked @Public(): a console session
 * (`Authorization: Bearer …`) or the bootstrap administrator (HTTP Basic, RFC 7617) for
 * scripts and first setup. @Roles() narrows who may call.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly admin: AdminCredentials,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    req.user = await this.authenticate(req.headers.authorization ?? '');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(req.user.role)) {
      // Refused attempts belong in the audit log too; the interceptor never sees them.
      const [, , targetType, targetId] = req.path.split('/');
      await this.audit.append({
        at: new Date(this.clock.now()), actor: req.user.username, organisationId: req.user.organisationId, action: `denied ${req.method.toLowerCase()} ${context.getClass().name.replace(/Controller$/, '')}.${context.getHandler().name}`,
        targetType: targetType ?? null, targetId: targetId ?? null, status: 403, ip: req.ip ?? null, details: { method: req.method, path: req.path, role: req.user.role },
      });
      throw new DomainError('FORBIDDEN', `this needs one of the roles: ${roles.join(', ')}`, { role: req.user.role });
    }
    return true;
  }

  private async authenticate(header: string): Promise<AuthUser> {
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'bearer' && value) {
      const user = await this.sessions.resolve(value, new Date(this.clock.now()));
      if (!user) throw new DomainError('UNAUTHENTICATED', 'session expired or unknown; sign in again');
      return { username: user.username, role: user.role, organisationId: user.organisationId };
    }
    if (scheme === 'basic' && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // Compare digests so the comparison takes the same time whatever the lengths.
      const ok = colon > 0
        && timingSafeEqual(digest(decoded.slice(0, colon)), digest(this.admin.username))
        && timingSafeEqual(digest(decoded.slice(colon + 1)), digest(this.admin.password));
      if (!ok) throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
      return { username: this.admin.username, role: 'admin', organisationId: null };
    }
    throw new DomainError('UNAUTHENTICATED', 'sign in first: Authorization: Bearer <token> (POST /api/auth/login) or HTTP Basic for the bootstrap admin');
  }
}
