import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateOrganisationDto } from './organisation.dto';
import { OrganisationRepository } from './organisation.repository';

@ApiTags('registry')
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationRepository) {}

  @Post()
  create(@Body() dto: CreateOrganisationDto) {
    return this.organisations.create(dto.name);
  }

  @Get()
  list() {
    return this.organisations.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.organisations.get(id);
  }
}
