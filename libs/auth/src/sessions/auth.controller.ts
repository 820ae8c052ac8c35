import { Body, Controller, Get, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../current-user.decorator';
import { Public } from '../public.decorator';
import { LoginDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto.username, dto.password, ip);
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Headers('authorization') header: string | undefined) {
    const [scheme, token] = (header ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token) await this.auth.logout(token);
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
