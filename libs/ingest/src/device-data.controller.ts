import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { DomainError, toStrictInt } from '@bedside/common';
import { Authenticated, inPath } from '@bedside/auth';
import { TelemetryStore } from '@bedside/telemetry';
import { DeviceEventRepository } from './device-event.repository';
import { DeviceStateRepository } from './device-state.repository';

export class TimeRangeQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'default: 24 h before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

function range(q: TimeRangeQuery): { from: Date; to: Date; limit: number } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3600_000);
  if (from >= to) throw new DomainError('VALIDATION_FAILED', '`from` must be before `to`', { from: q.from, to: q.to });
  return { from, to, limit: q.limit ?? 1000 };
}

/** What a device has sent, as stored: for installers and device makers; another organisation's device is a 404. */
@ApiTags('devices')
@Controller('api/devices/:id')
export class DeviceDataController {
  constructor(
    private readonly events: DeviceEventRepository,
    private readonly state: DeviceStateRepository,
    private readonly telemetry: TelemetryStore,
  ) {}

  @Get('events')
  @Authenticated({ permission: 'device.read', owns: [inPath('device')] })
  listEvents(@Param('id') id: string, @Query() q: TimeRangeQuery) {
    const { from, to, limit } = range(q);
    return this.events.list(id, from, to, limit);
  }

  @Get('telemetry')
  @Authenticated({ permission: 'device.read', owns: [inPath('device')], residentData: true })
  async listTelemetry(@Param('id') id: string, @Query() q: TimeRangeQuery) {
    const { from, to, limit } = range(q);
    await this.telemetry.flush();
    return this.telemetry.query({ deviceId: id, from: from.getTime(), to: to.getTime(), limit });
  }

  @Get('rejections')
  @Authenticated({ permission: 'device.read', owns: [inPath('device')] })
  listRejections(@Param('id') id: string) {
    return this.state.rejectionsOf(id);
  }
}
