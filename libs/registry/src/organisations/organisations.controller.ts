import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { CreateOrganisationDto } from './organisation.dto';
import { OrganisationRepository } from './organisation.repository';
import { OrganisationViewDto } from '../registry-answers.dto';

@ApiTags('registry')
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationRepository) {}

  /** Platform administrators only: an organisation is a tenant. */
  @Post()
  @ApiCreatedResponse({ type: OrganisationViewDto })
  @Authenticated({ permission: 'organisation.create', platform: true })
  create(@Body() dto: CreateOrganisationDto) {
    return this.organisations.create(dto.name);
  }

  @Get()
  @ApiOkResponse({ type: [OrganisationViewDto] })
  @Authenticated({ permission: 'organisation.read' })
  async list(@CurrentUser() user: AuthUser) {
    const all = await this.organisations.list();
    return user.organisationId ? all.filter((o) => o.id === user.organisationId) : all;
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganisationViewDto })
  @Authenticated({ permission: 'organisation.read', owns: [inPath('organisation')] })
  get(@Param('id') id: string) {
    return this.organisations.get(id);
  }
}
