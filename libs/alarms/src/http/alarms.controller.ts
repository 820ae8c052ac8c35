import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { AlarmService } from '../services/alarm.service';
import { AcknowledgeDto, AlarmQueryDto, NoteDto, ResolveDto } from './alarm.dto';
import { AlarmDetailDto, QueueAlarmViewDto } from './alarm-view.dto';

@ApiTags('alarms')
@Controller('api/alarms')
export class AlarmsController {
  constructor(private readonly alarms: AlarmService) {}

  /** Most severe first, then oldest. */
  @Get()
  @ApiOkResponse({ type: [QueueAlarmViewDto] })
  @Authenticated({
    permission: 'alarm.read',
    owns: [inQuery('bed', 'bedId'), inQuery('region', 'district')],
    residentData: true,
  })
  list(@Query() q: AlarmQueryDto, @CurrentUser() user: AuthUser) {
    return this.alarms.list({
      organisationId: scopeOf(user),
      state: q.state,
      severity: q.severity,
      kind: q.kind,
      bedId: q.bedId,
      districtId: q.district,
      includeSuppressed: q.includeSuppressed,
      limit: q.limit,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
  }

  @Get(':id')
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'alarm.read', owns: [inPath('alarm')], residentData: true })
  get(@Param('id') id: string) {
    return this.alarms.get(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('alarm')] })
  acknowledge(@Param('id') id: string, @Body() dto: AcknowledgeDto, @CurrentUser() user: AuthUser) {
    return this.alarms.acknowledge(id, user, dto.note);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('alarm')] })
  resolve(@Param('id') id: string, @Body() dto: ResolveDto, @CurrentUser() user: AuthUser) {
    return this.alarms.resolve(id, user, dto.outcome, dto.note);
  }

  @Post(':id/notes')
  @HttpCode(200)
  @ApiOkResponse({ type: AlarmDetailDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('alarm')] })
  note(@Param('id') id: string, @Body() dto: NoteDto, @CurrentUser() user: AuthUser) {
    return this.alarms.addNote(id, user, dto.text);
  }
}
