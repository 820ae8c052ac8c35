import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inBody, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { CreateRegionDto, HouseholdRegionDto, UpdateRegionDto } from './region.dto';
import { RegionRepository } from './region.repository';
import { DistrictTreeDto, HouseholdRegionViewDto, RegionDto } from './region-answers.dto';

/** The district/street hierarchy supervision reports roll up by; changed by administrators and supervisors. */
@ApiTags('regions')
@Controller('api')
export class RegionsController {
  constructor(private readonly regions: RegionRepository) {}

  @Post('regions')
  @ApiCreatedResponse({ type: RegionDto })
  @Authenticated({
    permission: 'registry.write',
    owns: [inBody('organisation', 'organisationId'), inBody('region', 'parentId')],
  })
  create(@Body() dto: CreateRegionDto) {
    return this.regions.create({
      organisationId: dto.organisationId,
      kind: dto.kind,
      parentId: dto.parentId ?? null,
      name: dto.name,
      code: dto.code ?? null,
    });
  }

  /** Districts by name, each with its streets. */
  @Get('regions')
  @ApiOkResponse({ type: [DistrictTreeDto] })
  @ApiQuery({ name: 'organisationId', required: false })
  @Authenticated({ permission: 'registry.read', owns: [inQuery('organisation', 'organisationId')] })
  list(@CurrentUser() user: AuthUser, @Query('organisationId') organisationId?: string) {
    return this.regions.tree(organisationId ?? scopeOf(user));
  }

  @Get('regions/:id')
  @ApiOkResponse({ type: RegionDto })
  @Authenticated({ permission: 'registry.read', owns: [inPath('region')] })
  get(@Param('id') id: string) {
    return this.regions.get(id);
  }

  @Patch('regions/:id')
  @ApiOkResponse({ type: RegionDto })
  @Authenticated({ permission: 'registry.write', owns: [inPath('region')] })
  update(@Param('id') id: string, @Body() dto: UpdateRegionDto) {
    return this.regions.update(id, dto);
  }

  @Delete('regions/:id')
  @HttpCode(204)
  @Authenticated({ permission: 'registry.write', owns: [inPath('region')] })
  async remove(@Param('id') id: string): Promise<void> {
    await this.regions.remove(id);
  }

  @Get('households/:id/region')
  @ApiOkResponse({ type: HouseholdRegionViewDto })
  @Authenticated({ permission: 'registry.read', owns: [inPath('household')] })
  ofHousehold(@Param('id') id: string) {
    return this.regions.ofHousehold(id);
  }

  @Put('households/:id/region')
  @ApiOkResponse({ type: HouseholdRegionViewDto })
  @Authenticated({ permission: 'registry.write', owns: [inPath('household'), inBody('region', 'regionId')] })
  assign(@Param('id') id: string, @Body() dto: HouseholdRegionDto) {
    return this.regions.assignHousehold(id, dto.regionId);
  }
}
