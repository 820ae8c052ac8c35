import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inBody, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { DomainError } from '@bedside/common';
import { ResidentRepository } from '../residents/resident.repository';
import { DeviceRepository } from '../devices/device.repository';
import { AssignResidentDto, CreateBedDto } from './bed.dto';
import { BedRepository } from './bed.repository';
import { BedDetailDto, BedViewDto } from '../registry-answers.dto';

@ApiTags('registry')
@Controller('api/beds')
export class BedsController {
  constructor(
    private readonly beds: BedRepository,
    private readonly residents: ResidentRepository,
    private readonly devices: DeviceRepository,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: BedViewDto })
  @Authenticated({
    permission: 'registry.write',
    owns: [inBody('household', 'householdId'), inBody('resident', 'residentId')],
    residentData: true,
  })
  async create(@Body() dto: CreateBedDto) {
    if (dto.residentId) await this.checkResident(dto.residentId, dto.householdId);
    return this.beds.create({ householdId: dto.householdId, residentId: dto.residentId ?? null, label: dto.label });
  }

  @Get()
  @ApiOkResponse({ type: [BedViewDto] })
  @ApiQuery({ name: 'householdId', required: false })
  @Authenticated({ permission: 'registry.read', owns: [inQuery('household', 'householdId')], residentData: true })
  list(@CurrentUser() user: AuthUser, @Query('householdId') householdId?: string) {
    return this.beds.list(householdId, scopeOf(user));
  }

  @Get(':id')
  @ApiOkResponse({ type: BedDetailDto })
  @Authenticated({ permission: 'registry.read', owns: [inPath('bed')], residentData: true })
  async get(@Param('id') id: string) {
    const bed = await this.beds.get(id);
    return { ...bed, devices: await this.devices.listByBed(id) };
  }

  @Put(':id/resident')
  @ApiOkResponse({ type: BedViewDto })
  @Authenticated({
    permission: 'registry.write',
    owns: [inPath('bed'), inBody('resident', 'residentId')],
    residentData: true,
  })
  async assignResident(@Param('id') id: string, @Body() dto: AssignResidentDto) {
    const bed = await this.beds.get(id);
    if (dto.residentId) await this.checkResident(dto.residentId, bed.householdId);
    return this.beds.assignResident(id, dto.residentId ?? null);
  }

  private async checkResident(residentId: string, householdId: string) {
    const resident = await this.residents.get(residentId);
    if (resident.householdId !== householdId) {
      throw new DomainError('VALIDATION_FAILED', 'residentId: the resident lives in another household', {
        field: 'residentId',
        residentId,
        householdId,
      });
    }
  }
}
