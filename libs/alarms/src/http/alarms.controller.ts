import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@bedside/auth';
import { AlarmService } from '../services/alarm.service';
import { AcknowledgeDto, AlarmQueryDto, NoteDto, ResolveDto } from './alarm.dto';

@ApiTags('alarms')
@Controller('api/alarms')
export class AlarmsController {
  constructor(private readonly alarms: AlarmService) {}

  /** Most severe first, then oldest. */
  @Get()
  list(@Query() q: AlarmQueryDto, @CurrentUser() user: AuthUser) {
    return this.alarms.list({
      organisationId: user.organisationId ?? undefined,
      state: q.state, severity: q.severity, kind: q.kind, bedId: q.bedId, includeSuppressed: q.includeSuppressed, limit: q.limit,
      from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined,
    });
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.alarms.getFor(id, user);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  async acknowledge(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AcknowledgeDto, @CurrentUser() user: AuthUser) {
    await this.alarms.getFor(id, user);
    return this.alarms.acknowledge(id, user, dto.note);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  async resolve(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveDto, @CurrentUser() user: AuthUser) {
    await this.alarms.getFor(id, user);
    return this.alarms.resolve(id, user, dto.outcome, dto.note);
  }

  @Post(':id/notes')
  @HttpCode(200)
  async note(@Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto, @CurrentUser() user: AuthUser) {
    await this.alarms.getFor(id, user);
    return this.alarms.addNote(id, user, dto.text);
  }
}
