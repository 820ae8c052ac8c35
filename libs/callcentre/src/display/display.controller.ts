import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@bedside/auth';
import { AlarmService } from '@bedside/alarms';
import { Clock } from '@bedside/common';
import { DisplayRepository } from './display.repository';

@ApiTags('call centre')
@Controller('api/alarms/:alarmId/displayed')
export class DisplayController {
  constructor(private readonly displays: DisplayRepository, private readonly alarms: AlarmService, private readonly clock: Clock) {}

  /** The console calls this once an alarm is on screen. */
  @Post()
  @HttpCode(204)
  async confirm(@Param('alarmId', ParseUUIDPipe) alarmId: string, @CurrentUser() user: AuthUser) {
    await this.alarms.getFor(alarmId, user);
    await this.displays.confirm(alarmId, user.username, new Date(this.clock.now()));
  }
}
