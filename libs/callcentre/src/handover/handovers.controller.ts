import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { Clock, DomainError, newId, uuidParam } from '@bedside/common';
import { HandoverDraftDto, HandoverDto } from './handover-answers.dto';
import { CreateHandoverDto } from './handover.dto';
import { HandoverRepository } from './handover.repository';

/**
 * The outgoing shift writes what is open, held and to be followed up; the next shift acknowledges
 * it (who and when are kept). The open and held alarms are listed by the hub at writing time.
 */
@ApiTags('call centre')
@Controller('api/organisations/:id/handovers')
export class HandoversController {
  constructor(
    private readonly handovers: HandoverRepository,
    private readonly clock: Clock,
  ) {}

  /** Latest first. */
  @Get()
  @ApiOkResponse({ type: [HandoverDto] })
  @Authenticated({ permission: 'alarm.read', owns: [inPath('organisation')], residentData: true })
  list(@Param('id') id: string) {
    return this.handovers.list(id, 50);
  }

  /** What a handover written now would list: the open and held alarms. */
  @Get('draft')
  @ApiOkResponse({ type: HandoverDraftDto })
  @Authenticated({ permission: 'alarm.read', owns: [inPath('organisation')], residentData: true })
  async draft(@Param('id') id: string) {
    return { items: await this.handovers.openAlarms(id) };
  }

  @Post()
  @ApiCreatedResponse({ type: HandoverDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('organisation')] })
  async create(@Param('id') id: string, @Body() dto: CreateHandoverDto, @CurrentUser() user: AuthUser) {
    const handoverId = newId();
    const items = [
      ...(await this.handovers.openAlarms(id)),
      ...dto.followUps.map((f) => ({ type: 'follow_up' as const, alarmId: f.alarmId ?? null, text: f.text })),
    ];
    await this.handovers.create({
      id: handoverId,
      organisationId: id,
      summary: dto.summary,
      items,
      writtenBy: user.username,
      writtenAt: new Date(this.clock.now()),
    });
    return (await this.handovers.list(id, 1, handoverId))[0];
  }

  /** The incoming shift confirms it read the handover; whoever wrote it cannot. */
  @Post(':handoverId/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: HandoverDto })
  @Authenticated({ permission: 'alarm.handle', owns: [inPath('organisation')] })
  async acknowledge(
    @Param('id') id: string,
    @Param('handoverId', uuidParam('handoverId')) handoverId: string,
    @CurrentUser() user: AuthUser,
  ) {
    const [current] = await this.handovers.list(id, 1, handoverId);
    if (!current) throw new DomainError('NOT_FOUND', `handover ${handoverId} not found`, { handoverId });
    if (current.writtenBy === user.username)
      throw new DomainError('INVALID_TRANSITION', 'the next shift acknowledges a handover, not its writer', {
        handoverId,
      });
    if (!(await this.handovers.acknowledge(id, handoverId, user.username, new Date(this.clock.now()))))
      throw new DomainError('INVALID_TRANSITION', 'the handover is already acknowledged', { handoverId });
    return (await this.handovers.list(id, 1, handoverId))[0];
  }
}
