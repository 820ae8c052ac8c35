import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlarmDetailDto, AlarmService } from '@bedside/alarms';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { HoldDto, StopEscalationDto } from './hold.dto';
import { HoldTimer } from './hold-timer.service';

@ApiTags('call centre')
@Controller('api/alarms/:alarmId/hold')
export class HoldController {
  constructor(
    private readonly alarms: AlarmService,
    private readonly timer: HoldTimer,
  ) {}

  /** Parks an open alarm with a reason until a return time. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('alarm', 'alarmId')] })
  async hold(@Param('alarmId') alarmId: string, @Body() dto: HoldDto, @CurrentUser() user: AuthUser) {
    const detail = await this.alarms.hold(alarmId, user, {
      until: Date.parse(dto.until),
      reason: dto.reason,
      stopEscalation: dto.stopEscalation,
    });
    this.timer.watch(alarmId, Date.parse(detail.alarm.heldUntil ?? dto.until));
    return detail;
  }

  /**
   * Stops the escalation of a held critical alarm until its return time, with a reason. It overrides
   * the organisation's escalation rule for this alarm, so it takes the permission to change rules
   * (supervisors and administrators).
   */
  @Post('stop-escalation')
  @HttpCode(200)
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'rules.write', owns: [inPath('alarm', 'alarmId')] })
  stopEscalation(@Param('alarmId') alarmId: string, @Body() dto: StopEscalationDto, @CurrentUser() user: AuthUser) {
    return this.alarms.stopHoldEscalation(alarmId, user, dto.reason);
  }

  /** Takes a held alarm back before its return time. */
  @Post('end')
  @HttpCode(200)
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('alarm', 'alarmId')] })
  async end(@Param('alarmId') alarmId: string, @CurrentUser() user: AuthUser) {
    const detail = await this.alarms.endHold(alarmId, user);
    this.timer.forget(alarmId);
    return detail;
  }
}
