import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { WellnessService } from '../services/wellness.service';
import {
  DeviationsQueryDto,
  EffectiveThresholdsDto,
  NightRangeQueryDto,
  RecomputeNightsDto,
  ResidentWellnessDto,
  WellnessDeviationsDto,
  WellnessThresholdsDto,
} from './wellness.dto';

@ApiTags('wellness')
@Controller('api')
export class WellnessController {
  constructor(private readonly wellness: WellnessService) {}

  @Get('residents/:id/wellness')
  @ApiOperation({ summary: "A resident's nights: summary, baseline and deviations per night" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ResidentWellnessDto })
  @Authenticated({ permission: 'vitals.read', owns: [inPath('resident')], residentData: true })
  async resident(@Param('id') id: string, @Query() q: NightRangeQueryDto): Promise<ResidentWellnessDto> {
    return { residentId: id, ...(await this.wellness.residentNights(id, q.from, q.to)) };
  }

  @Post('residents/:id/wellness/recompute')
  @HttpCode(200)
  @ApiOperation({
    summary: "Compute a resident's nights again from stored telemetry (after a device clock fix or an import)",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ResidentWellnessDto })
  @Authenticated({ permission: 'backtest.run', owns: [inPath('resident')], residentData: true })
  async recompute(@Param('id') id: string, @Body() dto: RecomputeNightsDto): Promise<ResidentWellnessDto> {
    return { residentId: id, ...(await this.wellness.recompute(id, dto.from, dto.to)) };
  }

  @Get('organisations/:id/wellness/deviations')
  @ApiOperation({ summary: "Residents whose night departed from their baseline: the day's visit list" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WellnessDeviationsDto })
  @Authenticated({ permission: 'vitals.read', owns: [inPath('organisation')], residentData: true })
  async deviations(@Param('id') id: string, @Query() q: DeviationsQueryDto): Promise<WellnessDeviationsDto> {
    return { organisationId: id, ...(await this.wellness.flagged(id, q.date)) };
  }

  @Get('organisations/:id/wellness/thresholds')
  @ApiOperation({ summary: "The organisation's deviation thresholds (the defaults unless changed)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: EffectiveThresholdsDto })
  @Authenticated({ permission: 'rules.read', owns: [inPath('organisation')] })
  async thresholds(@Param('id') id: string): Promise<EffectiveThresholdsDto> {
    return { organisationId: id, ...(await this.wellness.thresholds(id)) };
  }

  @Put('organisations/:id/wellness/thresholds')
  @ApiOperation({
    summary:
      'Set the deviation thresholds: the defaults with the given parts replaced; used for nights computed from now on',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: EffectiveThresholdsDto })
  @Authenticated({ permission: 'rules.write', owns: [inPath('organisation')] })
  async setThresholds(
    @Param('id') id: string,
    @Body() dto: WellnessThresholdsDto,
    @CurrentUser() user: AuthUser,
  ): Promise<EffectiveThresholdsDto> {
    return { organisationId: id, ...(await this.wellness.setThresholds(id, dto, user.username)) };
  }
}
