import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { RegistryAccess } from '../registry-access';
import { DomainError } from '@bedside/common';
import { CreateOrganisationDto } from './organisation.dto';
import { OrganisationRepository } from './organisation.repository';

@ApiTags('registry')
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationRepository, private readonly access: RegistryAccess) {}

  /** Platform administrators only: an organisation is a tenant. */
  @Post()
  @Roles('admin')
  create(@Body() dto: CreateOrganisationDto, @CurrentUser() user: AuthUser) {
    if (user.organisationId) throw new DomainError('FORBIDDEN', 'only a platform administrator creates organisations');
    return this.organisations.create(dto.name);
  }

  @Get()
  async list(@CurrentUser() user: AuthUser) {
    const all = await this.organisations.list();
    return user.organisationId ? all.filter((o) => o.id === user.organisationId) : all;
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    this.access.checkOrganisation(user, id);
    return this.organisations.get(id);
  }
}
