import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError } from '@bedside/common';
import { CurrentUser, type AuthUser } from '../current-user.decorator';
import { Roles } from '../roles.decorator';
import { hashPassword } from './password-hash';
import { CreateUserDto } from './user.dto';
import { UserRepository } from './user.repository';

@ApiTags('auth')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UserRepository) {}

  /** Admins create anyone; supervisors create operators and installers in their own organisation. */
  @Post()
  @Roles('admin', 'supervisor')
  async create(@Body() dto: CreateUserDto, @CurrentUser() me: AuthUser) {
    if (me.role === 'supervisor') {
      if (dto.role === 'admin' || dto.role === 'supervisor') throw new DomainError('FORBIDDEN', 'supervisors may create operators and installers only');
      if (dto.organisationId && dto.organisationId !== me.organisationId) throw new DomainError('FORBIDDEN', 'supervisors may create users in their own organisation only');
    }
    const organisationId = me.organisationId ?? dto.organisationId ?? null;
    if (!organisationId && dto.role !== 'admin') throw new DomainError('VALIDATION_FAILED', 'organisationId is required for this role');
    return this.users.create({ organisationId, username: dto.username, displayName: dto.displayName, role: dto.role, passwordHash: await hashPassword(dto.password) });
  }

  @Get()
  @Roles('admin', 'supervisor')
  list(@CurrentUser() me: AuthUser) {
    return this.users.list(me.organisationId);
  }
}
