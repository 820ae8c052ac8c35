import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { RegistryAccess } from '../registry-access';
import { DomainError } from '@bedside/common';
import { HouseholdRepository } from '../households/household.repository';
import { ResidentRepository } from '../residents/resident.repository';
import { DeviceRepository } from '../devices/device.repository';
import { AssignResidentDto, CreateBedDto } from './bed.dto';
import { BedRepository } from './bed.repository';

@ApiTags('registry')
@Controller('api/beds')
export class BedsController {
  constructor(
    private readonly beds: BedRepository,
    private readonly households: HouseholdRepository,
    private readonly residents: ResidentRepository,
    private readonly devices: DeviceRepository,
    private readonly access: RegistryAccess,
  ) {}

  @Post()
  @Roles('admin', 'supervisor')
  async create(@Body() dto: CreateBedDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'household', dto.householdId);
    await this.households.get(dto.householdId);
    if (dto.residentId) await this.checkResident(dto.residentId, dto.householdId);
    return this.beds.create({ householdId: dto.householdId, residentId: dto.residentId ?? null, label: dto.label });
  }

  @Get()
  @ApiQuery({ name: 'householdId', required: false })
  async list(@CurrentUser() user: AuthUser, @Query('householdId', new ParseUUIDPipe({ optional: true })) householdId?: string) {
    if (householdId) await this.access.check(user, 'household', householdId);
    return this.beds.list(householdId, this.access.scope(user));
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    const bed = await this.beds.get(id);
    return { ...bed, devices: await this.devices.listByBed(id) };
  }

  @Put(':id/resident')
  @Roles('admin', 'supervisor')
  async assignResident(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignResidentDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'bed', id);
    const bed = await this.beds.get(id);
    if (dto.residentId) await this.checkResident(dto.residentId, bed.householdId);
    return this.beds.assignResident(id, dto.residentId ?? null);
  }

  private async checkResident(residentId: string, householdId: string) {
    const resident = await this.residents.get(residentId);
    if (resident.householdId !== householdId) {
      throw new DomainError('VALIDATION_FAILED', 'resident lives in another household', { residentId, householdId });
    }
  }
}
