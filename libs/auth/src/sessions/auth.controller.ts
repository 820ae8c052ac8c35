import { Body, Controller, Get, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../current-user.decorator';
import { Authenticated } from '../policy/route-access';
import { Public } from '../public.decorator';
import { ChangeOwnPasswordDto } from '../users/user.dto';
import { UserService } from '../users/user.service';
import { LoginDto, LoginResultDto } from './auth.dto';
import { AuthService } from './auth.service';
import { bearerToken } from './bearer-token';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UserService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto })
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto.username, dto.password, ip);
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated({ permission: 'self' })
  async logout(@Headers('authorization') header: string | undefined) {
    const token = bearerToken(header);
    if (token) await this.auth.logout(token);
  }

  @Get('me')
  @Authenticated({ permission: 'self' })
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  /** Needs the current password; every other session of the user ends. */
  @Post('password')
  @HttpCode(204)
  @Authenticated({ permission: 'self' })
  async changePassword(
    @Body() dto: ChangeOwnPasswordDto,
    @CurrentUser() me: AuthUser,
    @Headers('authorization') header: string | undefined,
  ) {
    await this.users.changeOwnPassword(me, dto.currentPassword, dto.newPassword, bearerToken(header));
  }
}
