import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { uuidParam } from '@bedside/common';
import { CreateDispatchDto, DispatchDto, DispatchStatusDto } from './dispatch.dto';
import { DispatchService } from './dispatch.service';

@ApiTags('call centre')
@Controller('api/alarms/:alarmId/dispatches')
export class DispatchesController {
  constructor(private readonly service: DispatchService) {}

  @Post()
  @ApiCreatedResponse({ type: DispatchDto })
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('alarm', 'alarmId')] })
  create(@Param('alarmId') alarmId: string, @Body() dto: CreateDispatchDto, @CurrentUser() user: AuthUser) {
    return this.service.create(alarmId, dto, user);
  }

  /** With each one's due time and whether it is overdue now. */
  @Get()
  @ApiOkResponse({ type: [DispatchDto] })
  @Authenticated({ permission: 'dispatch.read', owns: [inPath('alarm', 'alarmId')], residentData: true })
  list(@Param('alarmId') alarmId: string) {
    return this.service.list(alarmId);
  }

  @Post(':dispatchId/status')
  @ApiCreatedResponse({ type: DispatchDto })
  @Authenticated({ permission: 'dispatch.manage', owns: [inPath('alarm', 'alarmId')] })
  status(
    @Param('alarmId') alarmId: string,
    @Param('dispatchId', uuidParam('dispatchId')) dispatchId: string,
    @Body() dto: DispatchStatusDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.service.setStatus(alarmId, dispatchId, dto, user);
  }
}
