import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '@bedside/auth';
import { Clock } from '@bedside/common';
import { RegistryAccess } from '@bedside/registry';
import type { RuleSetOverride } from '@bedside/rules';
import { AlarmRepository } from '../persistence/alarm.repository';
import { RulesRunner } from '../runtime/rules-runner.service';
import { AlarmService } from '../services/alarm.service';
import { BacktestService } from '../services/backtest.service';
import { RuleConfigService } from '../services/rule-config.service';
import { BacktestDto, RangeQueryDto, SilenceDto } from './alarm.dto';

/** Per-bed rule configuration, maintenance silences, backtest and the rule action journal; another organisation's bed is a 404. */
@ApiTags('rules')
@Controller('api/beds/:id')
export class BedAlarmsController {
  constructor(
    private readonly alarms: AlarmService,
    private readonly rules: RuleConfigService,
    private readonly runner: RulesRunner,
    private readonly backtests: BacktestService,
    private readonly access: RegistryAccess,
    private readonly alarmRepo: AlarmRepository,
    private readonly clock: Clock,
  ) {}

  @Post('silence')
  async silence(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SilenceDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.alarms.silence(id, user, Date.parse(dto.until), dto.reason);
  }

  @Delete('silence')
  async endSilence(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.alarms.endSilence(id, user);
  }

  @Get('silences')
  async silences(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.alarms.listSilences(id);
  }

  @Get('rules')
  async getRules(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.rules.current('bed', id);
  }

  /** A partial override for this bed; replaces the previous bed override as a new version. */
  @Put('rules')
  @ApiBody({ schema: { type: 'object', example: { heartRate: { major: { forMs: 5000 } } } } })
  async putRules(@Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    const version = await this.rules.put('bed', id, body, user.username);
    await this.runner.rulesChanged([id]);
    return version;
  }

  @Get('rules/history')
  async history(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.rules.history('bed', id);
  }

  @Get('rules/effective')
  async effective(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.rules.effective(id);
  }

  @Post('backtest')
  @HttpCode(200)
  async backtest(@Param('id', ParseUUIDPipe) id: string, @Body() dto: BacktestDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    return this.backtests.run(id, Date.parse(dto.from), Date.parse(dto.to), dto.override as RuleSetOverride | undefined);
  }

  /** Every rule action for the bed, including cancels that raised nothing and suppressed episodes. */
  @Get('rule-actions')
  async actions(@Param('id', ParseUUIDPipe) id: string, @Query() q: RangeQueryDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    const to = q.to ? new Date(q.to) : new Date(this.clock.now() + 1);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3600_000);
    return this.alarmRepo.actions(id, from, to);
  }
}
