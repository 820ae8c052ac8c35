import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { DispatchExpectationsDto, DispatchExpectationsViewDto } from './dispatch.dto';
import { DispatchService } from './dispatch.service';

/** How soon each kind of responder is expected on site, and the work order closed, per organisation. */
@ApiTags('call centre')
@Controller('api/organisations/:id/dispatch-expectations')
export class DispatchExpectationsController {
  constructor(private readonly service: DispatchService) {}

  @Get()
  @ApiOkResponse({ type: DispatchExpectationsViewDto })
  @Authenticated({ permission: 'dispatch.read', owns: [inPath('organisation')] })
  get(@Param('id') id: string) {
    return this.service.expectationsOf(id);
  }

  /** Replaces them (types left out go back to the defaults); dispatches already under way keep their due time. */
  @Put()
  @ApiOkResponse({ type: DispatchExpectationsViewDto })
  @Authenticated({ permission: 'rules.write', owns: [inPath('organisation')] })
  set(@Param('id') id: string, @Body() dto: DispatchExpectationsDto, @CurrentUser() user: AuthUser) {
    return this.service.setExpectations(id, dto.expectations, user);
  }
}
