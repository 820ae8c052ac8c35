import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PERMISSIONS } from './permission';
import { ROLE_PERMISSIONS } from './role-permissions';
import { Authenticated } from './route-access';
import { RouteTable } from './route-table';

/** The access policy itself, readable by every signed-in user (the console hides what a role cannot do). */
@ApiTags('auth')
@Controller('api/access')
export class AccessController {
  constructor(private readonly table: RouteTable) {}

  @Get('roles')
  @Authenticated({ permission: 'self' })
  roles() {
    return { permissions: PERMISSIONS, roles: ROLE_PERMISSIONS };
  }

  @Get('routes')
  @Authenticated({ permission: 'self' })
  routes() {
    return this.table.list();
  }
}
