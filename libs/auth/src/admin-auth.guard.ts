import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '@bedside/common';
import { IS_PUBLIC } from './public.decorator';
import type { AuthUser } from './current-user.decorator';

export class AdminCredentials {
  constructor(readonly username: string, readonly password: string) {}
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Every REST route needs the bootstrap administrator (HTTP Basic, RFC 7617) unless marked
 * @Public(). The call-centre work replaces this with users, roles and sessions.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly admin: AdminCredentials) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization ?? '';
    const [scheme, value] = header.split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !value) throw new DomainError('UNAUTHENTICATED', 'HTTP Basic credentials required');
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    // Compare digests so the comparison takes the same time whatever the lengths.
    const ok = colon > 0 && timingSafeEqual(digest(user), digest(this.admin.username)) && timingSafeEqual(digest(pass), digest(this.admin.password));
    if (!ok) throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    (req as Request & { user?: AuthUser }).user = { username: this.admin.username, role: 'admin', organisationId: null };
    return true;
  }
}
