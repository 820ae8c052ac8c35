import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { Authenticated, CurrentUser, inPath, type AuthUser } from '@bedside/auth';
import { DomainError, shortToken } from '@bedside/common';
import { COMMAND_TYPES, type CommandType } from '@bedside/contracts';
import { DeviceDownlinks } from './cluster/device-downlinks';

export class SendCommandDto {
  @ApiProperty({ enum: COMMAND_TYPES })
  @IsIn(COMMAND_TYPES)
  type!: CommandType;

  /** ring: how long (1-120 s); set-sample-interval: the new interval (1-3600 s). */
  @ApiPropertyOptional({ description: 'ring: 1-120 s; set-sample-interval: 1-3600 s' })
  @ValidateIf((o: SendCommandDto) => o.type === 'ring' || o.type === 'set-sample-interval')
  @IsInt()
  @Min(1)
  @Max(3600)
  seconds?: number;
}

/** Hub -> device actions (ring a button, identify, change the sample interval, reboot). */
@ApiTags('devices')
@Controller('api/devices/:id/commands')
export class DeviceCommandsController {
  constructor(private readonly downlinks: DeviceDownlinks) {}

  @Post()
  @HttpCode(202)
  @Authenticated({ permission: 'device.command', owns: [inPath('device')] })
  async send(@Param('id') id: string, @Body() dto: SendCommandDto, @CurrentUser() user: AuthUser) {
    if (dto.seconds !== undefined && dto.type !== 'ring' && dto.type !== 'set-sample-interval')
      throw new DomainError('VALIDATION_FAILED', `${dto.type} takes no seconds`);
    if (dto.type === 'ring' && dto.seconds !== undefined && dto.seconds > 120)
      throw new DomainError('VALIDATION_FAILED', 'seconds must not be greater than 120 for ring');
    // QoS 1 to a live session only: a device that is away would get a stale "ring" much later.
    const commandId = `cmd-${shortToken(12)}`;
    await this.downlinks.sendCommand(id, {
      commandId,
      type: dto.type,
      ...(dto.seconds !== undefined && { params: { seconds: dto.seconds } }),
    });
    return { commandId, deviceId: id, type: dto.type, sentBy: user.username };
  }
}
