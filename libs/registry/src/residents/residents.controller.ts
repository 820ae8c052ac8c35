import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { HouseholdRepository } from '../households/household.repository';
import { CreateResidentDto, UpdateResidentDto } from './resident.dto';
import { ResidentRepository } from './resident.repository';

@ApiTags('registry')
@Controller('api/residents')
export class ResidentsController {
  constructor(private readonly residents: ResidentRepository, private readonly households: HouseholdRepository) {}

  @Post()
  async create(@Body() dto: CreateResidentDto) {
    await this.households.get(dto.householdId);
    return this.residents.create({ householdId: dto.householdId, name: dto.name, birthYear: dto.birthYear ?? null, conditions: dto.conditions ?? [], notes: dto.notes ?? null });
  }

  @Get()
  @ApiQuery({ name: 'householdId', required: false })
  list(@Query('householdId', new ParseUUIDPipe({ optional: true })) householdId?: string) {
    return this.residents.list(householdId);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.residents.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateResidentDto) {
    return this.residents.update(id, dto);
  }
}
