import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { BedContextRepository } from '../persistence/bed-context.repository';
import { RulesRunner } from '../runtime/rules-runner.service';
import { RuleConfigService } from '../services/rule-config.service';

@ApiTags('rules')
@Controller('api')
export class RulesController {
  constructor(
    private readonly rules: RuleConfigService,
    private readonly runner: RulesRunner,
    private readonly beds: BedContextRepository,
  ) {}

  @Get('rules/default')
  @Authenticated({ permission: 'rules.read' })
  defaults() {
    return this.rules.defaults();
  }

  @Get('organisations/:id/rules')
  @Authenticated({ permission: 'rules.read', owns: [inPath('organisation')] })
  getOrg(@Param('id') id: string) {
    return this.rules.current('organisation', id);
  }

  @Put('organisations/:id/rules')
  @ApiBody({ schema: { type: 'object', example: { bedExit: { nightWindow: { start: '21:30', end: '06:30' } } } } })
  @Authenticated({ permission: 'rules.write', owns: [inPath('organisation')] })
  async putOrg(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const version = await this.rules.put('organisation', id, body, user.username);
    await this.runner.rulesChanged(await this.beds.bedsOfOrganisation(id));
    return version;
  }

  @Get('organisations/:id/rules/history')
  @Authenticated({ permission: 'rules.read', owns: [inPath('organisation')] })
  orgHistory(@Param('id') id: string) {
    return this.rules.history('organisation', id);
  }
}
