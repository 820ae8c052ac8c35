import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { RegistryAccess } from '../registry-access';
import { RegistryEvents } from '../registry.events';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { CreateHouseholdDto, UpdateHouseholdDto } from './household.dto';
import { HouseholdRepository } from './household.repository';

@ApiTags('registry')
@Controller('api/households')
export class HouseholdsController {
  constructor(private readonly households: HouseholdRepository, private readonly organisations: OrganisationRepository, private readonly access: RegistryAccess, private readonly events: RegistryEvents) {}

  @Post()
  @Roles('admin', 'supervisor')
  async create(@Body() dto: CreateHouseholdDto, @CurrentUser() user: AuthUser) {
    this.access.checkOrganisation(user, dto.organisationId);
    await this.organisations.get(dto.organisationId);
    return this.households.create({ organisationId: dto.organisationId, name: dto.name, address: dto.address, timeZone: dto.timeZone ?? 'Asia/Shanghai', contacts: dto.contacts ?? [] });
  }

  @Get()
  @ApiQuery({ name: 'organisationId', required: false })
  list(@CurrentUser() user: AuthUser, @Query('organisationId', new ParseUUIDPipe({ optional: true })) organisationId?: string) {
    if (organisationId) this.access.checkOrganisation(user, organisationId);
    return this.households.list(organisationId ?? this.access.scope(user));
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'household', id);
    return this.households.get(id);
  }

  @Patch(':id')
  @Roles('admin', 'supervisor')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateHouseholdDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'household', id);
    const updated = await this.households.update(id, dto);
    this.events.householdUpdated$.next({ householdId: id });
    return updated;
  }
}
