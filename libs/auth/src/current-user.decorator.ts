import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export type Role = 'admin' | 'supervisor' | 'operator' | 'installer';

/** Who is calling, as the auth guard established it; the actor in every audit entry. */
export interface AuthUser {
  username: string;
  role: Role;
  /** null for the bootstrap administrator, who sees every organisation. */
  organisationId: string | null;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!req.user) throw new Error('CurrentUser used on a public route');
  return req.user;
});
