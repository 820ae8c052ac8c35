import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { Clock } from '@bedside/common';
import { DisplayRepository } from './display.repository';

@ApiTags('call centre')
@Controller('api/alarms/:alarmId/displayed')
export class DisplayController {
  constructor(
    private readonly displays: DisplayRepository,
    private readonly clock: Clock,
  ) {}

  /** The console calls this once an alarm is on screen. */
  @Post()
  @HttpCode(204)
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('alarm', 'alarmId')] })
  async confirm(@Param('alarmId') alarmId: string, @CurrentUser() user: AuthUser) {
    await this.displays.confirm(alarmId, user.username, new Date(this.clock.now()));
  }
}
