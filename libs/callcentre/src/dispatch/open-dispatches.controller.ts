import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { DispatchQueryDto, OpenDispatchDto } from './dispatch.dto';
import { DispatchService } from './dispatch.service';

/** The organisation's open work orders across alarms: the supervisor's view of who is late (异常工单). */
@ApiTags('call centre')
@Controller('api/dispatches')
export class OpenDispatchesController {
  constructor(private readonly service: DispatchService) {}

  /** Open work orders (not closed, alarm not resolved), soonest due first; `overdue=true`: only those past due. */
  @Get()
  @ApiOkResponse({ type: [OpenDispatchDto] })
  @Authenticated({ permission: 'dispatch.read', owns: [inQuery('organisation', 'organisationId')], residentData: true })
  list(@Query() q: DispatchQueryDto, @CurrentUser() user: AuthUser) {
    return this.service.open({ organisationId: q.organisationId ?? scopeOf(user), overdue: q.overdue, limit: q.limit });
  }
}
