import { SetMetadata } from '@nestjs/common';
import type { Role } from './current-user.decorator';

export const ROLES = 'bedside:roles';
/** Only these roles may call the route; without it any signed-in user may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
