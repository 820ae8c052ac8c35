import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inBody, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { RegistryEvents } from '../registry.events';
import { CreateHouseholdDto, UpdateHouseholdDto } from './household.dto';
import { HouseholdRepository } from './household.repository';
import { HouseholdViewDto } from '../registry-answers.dto';

@ApiTags('registry')
@Controller('api/households')
export class HouseholdsController {
  constructor(
    private readonly households: HouseholdRepository,
    private readonly events: RegistryEvents,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: HouseholdViewDto })
  @Authenticated({ permission: 'registry.write', owns: [inBody('organisation', 'organisationId')], residentData: true })
  create(@Body() dto: CreateHouseholdDto) {
    return this.households.create({
      organisationId: dto.organisationId,
      name: dto.name,
      address: dto.address,
      timeZone: dto.timeZone ?? 'Asia/Shanghai',
      contacts: dto.contacts ?? [],
    });
  }

  @Get()
  @ApiOkResponse({ type: [HouseholdViewDto] })
  @ApiQuery({ name: 'organisationId', required: false })
  @Authenticated({ permission: 'registry.read', owns: [inQuery('organisation', 'organisationId')], residentData: true })
  list(@CurrentUser() user: AuthUser, @Query('organisationId') organisationId?: string) {
    return this.households.list(organisationId ?? scopeOf(user));
  }

  @Get(':id')
  @ApiOkResponse({ type: HouseholdViewDto })
  @Authenticated({ permission: 'registry.read', owns: [inPath('household')], residentData: true })
  get(@Param('id') id: string) {
    return this.households.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: HouseholdViewDto })
  @Authenticated({ permission: 'registry.write', owns: [inPath('household')], residentData: true })
  async update(@Param('id') id: string, @Body() dto: UpdateHouseholdDto) {
    const updated = await this.households.update(id, dto);
    this.events.householdUpdated$.next({ householdId: id });
    return updated;
  }
}
