import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { CreateHouseholdDto, UpdateHouseholdDto } from './household.dto';
import { HouseholdRepository } from './household.repository';

@ApiTags('registry')
@Controller('api/households')
export class HouseholdsController {
  constructor(private readonly households: HouseholdRepository, private readonly organisations: OrganisationRepository) {}

  @Post()
  async create(@Body() dto: CreateHouseholdDto) {
    await this.organisations.get(dto.organisationId);
    return this.households.create({ organisationId: dto.organisationId, name: dto.name, address: dto.address, timeZone: dto.timeZone ?? 'Asia/Shanghai', contacts: dto.contacts ?? [] });
  }

  @Get()
  @ApiQuery({ name: 'organisationId', required: false })
  list(@Query('organisationId', new ParseUUIDPipe({ optional: true })) organisationId?: string) {
    return this.households.list(organisationId);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.households.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateHouseholdDto) {
    return this.households.update(id, dto);
  }
}
