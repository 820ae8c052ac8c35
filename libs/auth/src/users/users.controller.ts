import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, scopeOf, type AuthUser } from '../current-user.decorator';
import { Authenticated, inBody, inPath } from '../policy/route-access';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserDto } from './user.dto';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

@ApiTags('auth')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UserRepository,
    private readonly service: UserService,
  ) {}

  /** Admins create anyone; supervisors create operators and installers in their own organisation. */
  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @Authenticated({ permission: 'user.manage', owns: [inBody('organisation', 'organisationId')] })
  create(@Body() dto: CreateUserDto, @CurrentUser() me: AuthUser) {
    return this.service.create(dto, me);
  }

  @Get()
  @ApiOkResponse({ type: [UserDto] })
  @Authenticated({ permission: 'user.read' })
  list(@CurrentUser() me: AuthUser) {
    return this.users.list(scopeOf(me) ?? null);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @Authenticated({ permission: 'user.read', owns: [inPath('user')] })
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  /** Display name or role; a new role ends the user's sessions at once. */
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @Authenticated({ permission: 'user.manage', owns: [inPath('user')] })
  update(@Param('id') id: string, @Body() dto: UpdateUserDto, @CurrentUser() me: AuthUser) {
    return this.service.update(id, dto, me);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @Authenticated({ permission: 'user.manage', owns: [inPath('user')] })
  disable(@Param('id') id: string, @CurrentUser() me: AuthUser) {
    return this.service.setDisabled(id, true, me);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @Authenticated({ permission: 'user.manage', owns: [inPath('user')] })
  enable(@Param('id') id: string, @CurrentUser() me: AuthUser) {
    return this.service.setDisabled(id, false, me);
  }

  /** Sets a new password chosen by an administrator or supervisor; the user's sessions end. */
  @Post(':id/password')
  @HttpCode(204)
  @Authenticated({ permission: 'user.manage', owns: [inPath('user')] })
  async resetPassword(@Param('id') id: string, @Body() dto: ResetPasswordDto, @CurrentUser() me: AuthUser) {
    await this.service.resetPassword(id, dto.password, me);
  }

  /** Anonymises the user (name, sign-in) and keeps the audit trail that names them. */
  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ permission: 'user.manage', owns: [inPath('user')] })
  async remove(@Param('id') id: string, @CurrentUser() me: AuthUser) {
    await this.service.remove(id, me);
  }
}
