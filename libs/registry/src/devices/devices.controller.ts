import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ParseUUIDPipe } from '@nestjs/common';
import { BindDeviceDto, ProvisionDeviceDto } from './device.dto';
import { DeviceRepository } from './device.repository';
import { DevicesService } from './devices.service';

@ApiTags('devices')
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly service: DevicesService, private readonly devices: DeviceRepository) {}

  @Post()
  @ApiCreatedResponse({ description: 'the device and its MQTT credentials; the password is shown only this once' })
  provision(@Body() dto: ProvisionDeviceDto) {
    return this.service.provision(dto);
  }

  @Get()
  @ApiQuery({ name: 'organisationId', required: false })
  @ApiQuery({ name: 'bedId', required: false })
  list(
    @Query('organisationId', new ParseUUIDPipe({ optional: true })) organisationId?: string,
    @Query('bedId', new ParseUUIDPipe({ optional: true })) bedId?: string,
  ) {
    return this.devices.list({ organisationId, bedId });
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.devices.get(id);
  }

  @Post(':id/credentials')
  @HttpCode(200)
  rotate(@Param('id') id: string) {
    return this.service.rotate(id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param('id') id: string) {
    return this.service.revoke(id);
  }

  @Put(':id/bed')
  bind(@Param('id') id: string, @Body() dto: BindDeviceDto) {
    return this.service.bind(id, dto.bedId);
  }

  @Delete(':id/bed')
  unbind(@Param('id') id: string) {
    return this.service.unbind(id);
  }
}
