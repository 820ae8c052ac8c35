import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { RegistryAccess } from '../registry-access';
import { HouseholdRepository } from '../households/household.repository';
import { CreateResidentDto, UpdateResidentDto } from './resident.dto';
import { ResidentRepository } from './resident.repository';

@ApiTags('registry')
@Controller('api/residents')
export class ResidentsController {
  constructor(private readonly residents: ResidentRepository, private readonly households: HouseholdRepository, private readonly access: RegistryAccess) {}

  @Post()
  @Roles('admin', 'supervisor')
  async create(@Body() dto: CreateResidentDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'household', dto.householdId);
    await this.households.get(dto.householdId);
    return this.residents.create({ householdId: dto.householdId, name: dto.name, birthYear: dto.birthYear ?? null, conditions: dto.conditions ?? [], notes: dto.notes ?? null });
  }

  @Get()
  @ApiQuery({ name: 'householdId', required: false })
  async list(@CurrentUser() user: AuthUser, @Query('householdId', new ParseUUIDPipe({ optional: true })) householdId?: string) {
    if (householdId) await this.access.check(user, 'household', householdId);
    return this.residents.list(householdId, this.access.scope(user));
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'resident', id);
    return this.residents.get(id);
  }

  @Patch(':id')
  @Roles('admin', 'supervisor')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateResidentDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'resident', id);
    return this.residents.update(id, dto);
  }
}
