import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, inPath } from '@bedside/auth';
import { WellnessService } from '../services/wellness.service';
import { DeviationsQueryDto, NightRangeQueryDto, RecomputeNightsDto, ResidentWellnessDto, WellnessDeviationsDto } from './wellness.dto';

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
  @ApiOperation({ summary: "Compute a resident's nights again from stored telemetry (after a device clock fix or an import)" })
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
}
