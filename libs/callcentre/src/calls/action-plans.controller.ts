import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { Clock, DomainError } from '@bedside/common';
import { RULE_KINDS } from '@bedside/rules';
import { ActionPlanRepository } from './action-plan.repository';
import { StoredActionPlanDto } from './call-answers.dto';
import { ActionPlanDto } from './call.dto';

@ApiTags('call centre')
@Controller('api/organisations/:id/action-plans')
export class ActionPlansController {
  constructor(
    private readonly plans: ActionPlanRepository,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: [StoredActionPlanDto] })
  @Authenticated({ permission: 'rules.read', owns: [inPath('organisation')] })
  list(@Param('id') id: string) {
    return this.plans.list(id);
  }

  /** Sets the call script and responders for one alarm kind (supervisors and administrators). */
  @Put(':kind')
  @ApiOkResponse({ type: StoredActionPlanDto })
  @Authenticated({ permission: 'rules.write', owns: [inPath('organisation')] })
  put(@Param('id') id: string, @Param('kind') kind: string, @Body() dto: ActionPlanDto, @CurrentUser() user: AuthUser) {
    if (!(RULE_KINDS as readonly string[]).includes(kind))
      throw new DomainError('VALIDATION_FAILED', `unknown alarm kind ${JSON.stringify(kind)}`, {
        expected: RULE_KINDS.join(', '),
      });
    return this.plans.put(id, kind, dto, user.username, new Date(this.clock.now()));
  }
}
