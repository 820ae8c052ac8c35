import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
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
  ) {}

  @Post()
  async create(@Body() dto: CreateBedDto) {
    await this.households.get(dto.householdId);
    if (dto.residentId) await this.checkResident(dto.residentId, dto.householdId);
    return this.beds.create({ householdId: dto.householdId, residentId: dto.residentId ?? null, label: dto.label });
  }

  @Get()
  @ApiQuery({ name: 'householdId', required: false })
  list(@Query('householdId', new ParseUUIDPipe({ optional: true })) householdId?: string) {
    return this.beds.list(householdId);
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const bed = await this.beds.get(id);
    return { ...bed, devices: await this.devices.listByBed(id) };
  }

  @Put(':id/resident')
  async assignResident(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignResidentDto) {
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
