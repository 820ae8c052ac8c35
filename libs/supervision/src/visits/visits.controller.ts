import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { Clock } from '@bedside/common';
import {
  AssignVisitDto,
  CancelVisitDto,
  CheckInDto,
  MyVisitsQueryDto,
  RescheduleVisitDto,
  VisitNoteDto,
  VisitQueryDto,
} from './visit.dto';
import { VisitsService } from './visits.service';
import { VisitDto, VisitViewDto } from './visit-answers.dto';

/** Visit work orders: the coordinator's list, assignment and the visitor's check-in. */
@ApiTags('visits')
@Controller('api/visits')
export class VisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly clock: Clock,
  ) {}

  /** Soonest due first. */
  @Get()
  @ApiOkResponse({ type: [VisitViewDto] })
  @Authenticated({
    permission: 'dispatch.read',
    owns: [
      inQuery('organisation', 'organisationId'),
      inQuery('resident', 'residentId'),
      inQuery('region', 'districtId'),
      inQuery('region', 'streetId'),
    ],
    residentData: true,
  })
  list(@Query() q: VisitQueryDto, @CurrentUser() user: AuthUser) {
    return this.visits.list({
      organisationId: q.organisationId ?? scopeOf(user),
      residentId: q.residentId,
      state: q.state,
      overdue: q.overdue,
      assignee: q.assignee,
      districtId: q.districtId,
      streetId: q.streetId,
      dueFrom: q.dueFrom ? new Date(q.dueFrom) : undefined,
      dueTo: q.dueTo ? new Date(q.dueTo) : undefined,
      limit: q.limit,
    });
  }

  /** The signed-in worker's open visits (assigned to them by user), overdue first, then soonest due. */
  @Get('mine')
  @ApiOkResponse({ type: [VisitViewDto] })
  @Authenticated({ permission: 'dispatch.read', residentData: true })
  mine(@Query() q: MyVisitsQueryDto, @CurrentUser() user: AuthUser) {
    return this.visits.mine(user, q.limit);
  }

  @Get(':id')
  @ApiOkResponse({ type: VisitDto })
  @Authenticated({ permission: 'dispatch.read', owns: [inPath('visit')], residentData: true })
  get(@Param('id') id: string) {
    return this.visits.get(id);
  }

  @Post(':id/assign')
  @ApiOkResponse({ type: VisitDto })
  @HttpCode(200)
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('visit')] })
  assign(@Param('id') id: string, @Body() dto: AssignVisitDto, @CurrentUser() user: AuthUser) {
    return this.visits.assign(id, { kind: dto.kind, name: dto.name, userId: dto.userId }, user);
  }

  @Post(':id/check-in')
  @ApiOkResponse({ type: VisitDto })
  @HttpCode(200)
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('visit')] })
  checkIn(@Param('id') id: string, @Body() dto: CheckInDto, @CurrentUser() user: AuthUser) {
    return this.visits.act(
      id,
      {
        type: 'check_in',
        found: dto.found,
        at: dto.at ? Date.parse(dto.at) : this.clock.now(),
        outcome: dto.outcome,
        notes: dto.notes,
      },
      user,
    );
  }

  @Post(':id/reschedule')
  @ApiOkResponse({ type: VisitDto })
  @HttpCode(200)
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('visit')] })
  reschedule(@Param('id') id: string, @Body() dto: RescheduleVisitDto, @CurrentUser() user: AuthUser) {
    return this.visits.act(id, { type: 'reschedule', dueAt: Date.parse(dto.dueAt) }, user);
  }

  @Post(':id/notes')
  @ApiOkResponse({ type: VisitDto })
  @HttpCode(200)
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('visit')] })
  note(@Param('id') id: string, @Body() dto: VisitNoteDto, @CurrentUser() user: AuthUser) {
    return this.visits.act(id, { type: 'note', text: dto.text }, user);
  }

  @Post(':id/cancel')
  @ApiOkResponse({ type: VisitDto })
  @HttpCode(200)
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('visit')] })
  cancel(@Param('id') id: string, @Body() dto: CancelVisitDto, @CurrentUser() user: AuthUser) {
    return this.visits.act(id, { type: 'cancel', reason: dto.reason }, user);
  }
}
