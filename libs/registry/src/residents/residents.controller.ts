import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inBody, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { CreateResidentDto, UpdateResidentDto } from './resident.dto';
import { ResidentRepository } from './resident.repository';
import { ResidentViewDto } from '../registry-answers.dto';

@ApiTags('registry')
@Controller('api/residents')
export class ResidentsController {
  constructor(private readonly residents: ResidentRepository) {}

  @Post()
  @ApiCreatedResponse({ type: ResidentViewDto })
  @Authenticated({ permission: 'registry.write', owns: [inBody('household', 'householdId')], residentData: true })
  create(@Body() dto: CreateResidentDto) {
    return this.residents.create({
      householdId: dto.householdId,
      name: dto.name,
      birthYear: dto.birthYear ?? null,
      conditions: dto.conditions ?? [],
      notes: dto.notes ?? null,
    });
  }

  @Get()
  @ApiOkResponse({ type: [ResidentViewDto] })
  @ApiQuery({ name: 'householdId', required: false })
  @Authenticated({ permission: 'registry.read', owns: [inQuery('household', 'householdId')], residentData: true })
  list(@CurrentUser() user: AuthUser, @Query('householdId') householdId?: string) {
    return this.residents.list(householdId, scopeOf(user));
  }

  @Get(':id')
  @ApiOkResponse({ type: ResidentViewDto })
  @Authenticated({ permission: 'registry.read', owns: [inPath('resident')], residentData: true })
  get(@Param('id') id: string) {
    return this.residents.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ResidentViewDto })
  @Authenticated({ permission: 'registry.write', owns: [inPath('resident')], residentData: true })
  update(@Param('id') id: string, @Body() dto: UpdateResidentDto) {
    return this.residents.update(id, dto);
  }
}
