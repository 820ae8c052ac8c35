import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { RegistryAccess } from '../registry-access';
import { ParseUUIDPipe } from '@nestjs/common';
import { BindDeviceDto, ProvisionDeviceDto } from './device.dto';
import { DeviceRepository } from './device.repository';
import { DevicesService } from './devices.service';

@ApiTags('devices')
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly service: DevicesService, private readonly devices: DeviceRepository, private readonly access: RegistryAccess) {}

  @Post()
  @ApiCreatedResponse({ description: 'the device and its MQTT credentials; the password is shown only this once' })
  @Roles('admin', 'supervisor', 'installer')
  provision(@Body() dto: ProvisionDeviceDto, @CurrentUser() user: AuthUser) {
    this.access.checkOrganisation(user, dto.organisationId);
    return this.service.provision(dto);
  }

  @Get()
  @ApiQuery({ name: 'organisationId', required: false })
  @ApiQuery({ name: 'bedId', required: false })
  list(
    @CurrentUser() user: AuthUser,
    @Query('organisationId', new ParseUUIDPipe({ optional: true })) organisationId?: string,
    @Query('bedId', new ParseUUIDPipe({ optional: true })) bedId?: string,
  ) {
    if (organisationId) this.access.checkOrganisation(user, organisationId);
    return this.devices.list({ organisationId: organisationId ?? this.access.scope(user), bedId });
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'device', id);
    return this.devices.get(id);
  }

  @Post(':id/credentials')
  @HttpCode(200)
  @Roles('admin', 'supervisor', 'installer')
  async rotate(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'device', id);
    return this.service.rotate(id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('admin', 'supervisor', 'installer')
  async revoke(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'device', id);
    return this.service.revoke(id);
  }

  @Put(':id/bed')
  @Roles('admin', 'supervisor', 'installer')
  async bind(@Param('id') id: string, @Body() dto: BindDeviceDto, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'device', id);
    return this.service.bind(id, dto.bedId);
  }

  @Delete(':id/bed')
  @Roles('admin', 'supervisor', 'installer')
  async unbind(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    await this.access.check(user, 'device', id);
    return this.service.unbind(id);
  }
}
