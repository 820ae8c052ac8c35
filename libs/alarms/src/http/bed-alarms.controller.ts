import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { Clock } from '@bedside/common';
import { AlarmRepository } from '../persistence/alarm.repository';
import { RulesRunner } from '../runtime/rules-runner.service';
import { AlarmService } from '../services/alarm.service';
import { BacktestService } from '../services/backtest.service';
import { RuleConfigService } from '../services/rule-config.service';
import { BacktestDto, RangeQueryDto, SilenceDto } from './alarm.dto';

/** Per-bed rule configuration, maintenance silences, backtest and the rule action journal; another organisation's bed is a 404. */
const bedPath = inPath('bed');

@ApiTags('rules')
@Controller('api/beds/:id')
export class BedAlarmsController {
  constructor(
    private readonly alarms: AlarmService,
    private readonly rules: RuleConfigService,
    private readonly runner: RulesRunner,
    private readonly backtests: BacktestService,
    private readonly alarmRepo: AlarmRepository,
    private readonly clock: Clock,
  ) {}

  @Post('silence')
  @Authenticated({ permission: 'silence.manage', owns: [bedPath] })
  async silence(@Param('id') id: string, @Body() dto: SilenceDto, @CurrentUser() user: AuthUser) {
    return this.alarms.silence(id, user, Date.parse(dto.until), dto.reason);
  }

  @Delete('silence')
  @Authenticated({ permission: 'silence.manage', owns: [bedPath] })
  async endSilence(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.alarms.endSilence(id, user);
  }

  @Get('silences')
  @Authenticated({ permission: 'silence.read', owns: [bedPath] })
  silences(@Param('id') id: string) {
    return this.alarms.listSilences(id);
  }

  @Get('rules')
  @Authenticated({ permission: 'rules.read', owns: [bedPath] })
  getRules(@Param('id') id: string) {
    return this.rules.current('bed', id);
  }

  /** A partial override for this bed; replaces the previous bed override as a new version. */
  @Put('rules')
  @ApiBody({ schema: { type: 'object', example: { heartRate: { major: { forMs: 5000 } } } } })
  @Authenticated({ permission: 'rules.write', owns: [bedPath] })
  async putRules(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const version = await this.rules.put('bed', id, body, user.username);
    await this.runner.rulesChanged([id]);
    return version;
  }

  @Get('rules/history')
  @Authenticated({ permission: 'rules.read', owns: [bedPath] })
  history(@Param('id') id: string) {
    return this.rules.history('bed', id);
  }

  @Get('rules/effective')
  @Authenticated({ permission: 'rules.read', owns: [bedPath] })
  effective(@Param('id') id: string) {
    return this.rules.effective(id);
  }

  @Post('backtest')
  @HttpCode(200)
  @Authenticated({ permission: 'backtest.run', owns: [bedPath], residentData: true })
  backtest(@Param('id') id: string, @Body() dto: BacktestDto) {
    return this.backtests.run(id, Date.parse(dto.from), Date.parse(dto.to), dto.override);
  }

  /** Every rule action for the bed, including cancels that raised nothing and suppressed episodes. */
  @Get('rule-actions')
  @Authenticated({ permission: 'rule-actions.read', owns: [bedPath], residentData: true })
  actions(@Param('id') id: string, @Query() q: RangeQueryDto) {
    const to = q.to ? new Date(q.to) : new Date(this.clock.now() + 1);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3600_000);
    return this.alarmRepo.actions(id, from, to);
  }
}
