import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inBody, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { BindDeviceDto, ProvisionDeviceDto } from './device.dto';
import { DeviceRepository } from './device.repository';
import { DevicesService } from './devices.service';

@ApiTags('devices')
@Controller('api/devices')
export class DevicesController {
  constructor(
    private readonly service: DevicesService,
    private readonly devices: DeviceRepository,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'the device and its MQTT credentials; the password is shown only this once' })
  @Authenticated({
    permission: 'device.manage',
    owns: [inBody('organisation', 'organisationId'), inBody('bed', 'bedId')],
  })
  provision(@Body() dto: ProvisionDeviceDto) {
    return this.service.provision(dto);
  }

  @Get()
  @ApiQuery({ name: 'organisationId', required: false })
  @ApiQuery({ name: 'bedId', required: false })
  @Authenticated({
    permission: 'device.read',
    owns: [inQuery('organisation', 'organisationId'), inQuery('bed', 'bedId')],
  })
  list(
    @CurrentUser() user: AuthUser,
    @Query('organisationId') organisationId?: string,
    @Query('bedId') bedId?: string,
  ) {
    return this.devices.list({ organisationId: organisationId ?? scopeOf(user), bedId });
  }

  @Get(':id')
  @Authenticated({ permission: 'device.read', owns: [inPath('device')] })
  get(@Param('id') id: string) {
    return this.devices.get(id);
  }

  @Post(':id/credentials')
  @HttpCode(200)
  @Authenticated({ permission: 'device.manage', owns: [inPath('device')] })
  rotate(@Param('id') id: string) {
    return this.service.rotate(id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Authenticated({ permission: 'device.manage', owns: [inPath('device')] })
  revoke(@Param('id') id: string) {
    return this.service.revoke(id);
  }

  @Put(':id/bed')
  @Authenticated({ permission: 'device.manage', owns: [inPath('device'), inBody('bed', 'bedId')] })
  bind(@Param('id') id: string, @Body() dto: BindDeviceDto) {
    return this.service.bind(id, dto.bedId);
  }

  @Delete(':id/bed')
  @Authenticated({ permission: 'device.manage', owns: [inPath('device')] })
  unbind(@Param('id') id: string) {
    return this.service.unbind(id);
  }
}
