import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { Clock, DomainError } from '@bedside/common';
import { SupervisionConfig } from '../supervision.config';
import {
  FollowUpVisitDto,
  ManualVisitDto,
  ResidentCategoriesDto,
  TimelineQueryDto,
  VisitPoliciesDto,
} from './visit.dto';
import { ResidentTimelineRepository } from './resident-timeline.repository';
import { VisitsService } from './visits.service';
import { ResidentTimelineDto, VisitDto, VisitViewDto } from './visit-answers.dto';

/** Visits seen from a resident, an alarm and an organisation's policy. */
@ApiTags('visits')
@Controller('api')
export class ResidentVisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly config: SupervisionConfig,
    private readonly clock: Clock,
    private readonly timeline: ResidentTimelineRepository,
  ) {}

  /** Alarms, visit steps and nights off the baseline, newest first (default: the last 90 days). */
  @Get('residents/:id/timeline')
  @ApiOkResponse({ type: ResidentTimelineDto })
  @Authenticated({ permission: 'dispatch.read', owns: [inPath('resident')], residentData: true })
  async residentTimeline(@Param('id') id: string, @Query() q: TimelineQueryDto): Promise<ResidentTimelineDto> {
    const to = q.to ? Date.parse(q.to) : this.clock.now() + 1;
    const from = q.from ? Date.parse(q.from) : to - 90 * 86_400_000;
    if (from >= to) throw new DomainError('VALIDATION_FAILED', 'from must be before to', { field: 'from' });
    return {
      residentId: id,
      entries: await this.timeline.of(id, new Date(from), new Date(to), q.limit ?? 500),
    };
  }

  /** The resident's visits, soonest due first, each with its timeline. */
  @Get('residents/:id/visits')
  @ApiOkResponse({ type: [VisitViewDto] })
  @Authenticated({ permission: 'dispatch.read', owns: [inPath('resident')], residentData: true })
  ofResident(@Param('id') id: string) {
    return this.visits.list({ residentId: id, limit: 1000 });
  }

  @Post('residents/:id/visits')
  @ApiCreatedResponse({ type: VisitDto })
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('resident')] })
  plan(@Param('id') id: string, @Body() dto: ManualVisitDto, @CurrentUser() user: AuthUser) {
    return this.visits.manual(id, Date.parse(dto.dueAt), dto.reason, user);
  }

  /** An operator's follow-up visit after handling an alarm (one per alarm). */
  @Post('alarms/:alarmId/visits')
  @ApiCreatedResponse({ type: VisitDto })
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('alarm', 'alarmId')] })
  followUp(@Param('alarmId') alarmId: string, @Body() dto: FollowUpVisitDto, @CurrentUser() user: AuthUser) {
    const dueAt = dto.dueAt ? Date.parse(dto.dueAt) : this.clock.now() + this.config.deviationDueMs;
    return this.visits.followUp(alarmId, dueAt, dto.note, user);
  }

  @Get('residents/:id/categories')
  @Authenticated({ permission: 'registry.read', owns: [inPath('resident')], residentData: true })
  categories(@Param('id') id: string) {
    return this.visits.categoriesOf(id);
  }

  /** The resident's categories (living alone, special difficulty, …) the visiting policy applies to. */
  @Put('residents/:id/categories')
  @Authenticated({ permission: 'registry.write', owns: [inPath('resident')], residentData: true })
  setCategories(@Param('id') id: string, @Body() dto: ResidentCategoriesDto) {
    return this.visits.setCategories(id, dto.categories);
  }

  @Get('organisations/:id/visit-policies')
  @Authenticated({ permission: 'rules.read', owns: [inPath('organisation')] })
  async policies(@Param('id') id: string) {
    return { organisationId: id, policies: await this.visits.policiesOf(id) };
  }

  /** Replaces the policy: residents in each category are visited at least every intervalDays. */
  @Put('organisations/:id/visit-policies')
  @Authenticated({ permission: 'rules.write', owns: [inPath('organisation')] })
  async setPolicies(@Param('id') id: string, @Body() dto: VisitPoliciesDto, @CurrentUser() user: AuthUser) {
    return { organisationId: id, policies: await this.visits.setPolicies(id, dto.policies, user) };
  }
}
