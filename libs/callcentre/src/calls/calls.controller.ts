import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { CallAttemptRecordDto, CallListDto } from './call-answers.dto';
import { CallAttemptDto } from './call.dto';
import { CallService } from './call.service';

@ApiTags('call centre')
@Controller('api/alarms/:alarmId')
export class CallsController {
  constructor(private readonly calls: CallService) {}

  /** The alarm kind's action plan and whom to call, in order, with the calls made so far. */
  @Get('call-list')
  @ApiOkResponse({ type: CallListDto })
  @Authenticated({ permission: 'dispatch.read', owns: [inPath('alarm', 'alarmId')], residentData: true })
  callList(@Param('alarmId') alarmId: string) {
    return this.calls.callList(alarmId);
  }

  /** Logs one call attempt with its outcome; it appears on the alarm's timeline. */
  @Post('calls')
  @ApiCreatedResponse({ type: CallAttemptRecordDto })
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('alarm', 'alarmId')] })
  record(@Param('alarmId') alarmId: string, @Body() dto: CallAttemptDto, @CurrentUser() user: AuthUser) {
    return this.calls.record(alarmId, dto, user);
  }
}
