import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export type Role = 'admin' | 'supervisor' | 'operator' | 'installer';

/** Who is calling, as the authorization guard established it; the actor in every audit entry. */
export interface AuthUser {
  /** null for the bootstrap administrator, who has no user record. */
  userId: string | null;
  username: string;
  displayName: string;
  role: Role;
  /** null for a platform administrator, who sees every organisation. */
  organisationId: string | null;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!req.user) throw new Error('CurrentUser used on a public route');
  return req.user;
});

/** The organisation a user's lists are limited to (undefined: every organisation, for platform administrators). */
export const scopeOf = (user: AuthUser): string | undefined => user.organisationId ?? undefined;
