import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { CreateDispatchDto, DispatchStatusDto } from './dispatch.dto';
import { DispatchService } from './dispatch.service';

@ApiTags('call centre')
@Controller('api/alarms/:alarmId/dispatches')
@Roles('admin', 'supervisor', 'operator')
export class DispatchesController {
  constructor(private readonly service: DispatchService) {}

  @Post()
  create(@Param('alarmId', ParseUUIDPipe) alarmId: string, @Body() dto: CreateDispatchDto, @CurrentUser() user: AuthUser) {
    return this.service.create(alarmId, dto, user);
  }

  @Get()
  list(@Param('alarmId', ParseUUIDPipe) alarmId: string, @CurrentUser() user: AuthUser) {
    return this.service.list(alarmId, user);
  }

  @Post(':dispatchId/status')
  status(@Param('alarmId', ParseUUIDPipe) alarmId: string, @Param('dispatchId', ParseUUIDPipe) dispatchId: string, @Body() dto: DispatchStatusDto, @CurrentUser() user: AuthUser) {
    return this.service.setStatus(alarmId, dispatchId, dto, user);
  }
}
