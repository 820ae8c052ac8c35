import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@bedside/auth';
import { OrganisationRepository } from '@bedside/registry';
import { BedContextRepository } from '../persistence/bed-context.repository';
import { RulesRunner } from '../runtime/rules-runner.service';
import { RuleConfigService } from '../services/rule-config.service';

@ApiTags('rules')
@Controller('api')
export class RulesController {
  constructor(
    private readonly rules: RuleConfigService,
    private readonly runner: RulesRunner,
    private readonly organisations: OrganisationRepository,
    private readonly beds: BedContextRepository,
  ) {}

  @Get('rules/default')
  defaults() {
    return this.rules.defaults();
  }

  @Get('organisations/:id/rules')
  async getOrg(@Param('id', ParseUUIDPipe) id: string) {
    await this.organisations.get(id);
    return this.rules.current('organisation', id);
  }

  @Put('organisations/:id/rules')
  @ApiBody({ schema: { type: 'object', example: { bedExit: { nightWindow: { start: '21:30', end: '06:30' } } } } })
  async putOrg(@Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    await this.organisations.get(id);
    const version = await this.rules.put('organisation', id, body, user.username);
    await this.runner.rulesChanged(await this.beds.bedsOfOrganisation(id));
    return version;
  }

  @Get('organisations/:id/rules/history')
  async orgHistory(@Param('id', ParseUUIDPipe) id: string) {
    await this.organisations.get(id);
    return this.rules.history('organisation', id);
  }
}
