import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { Authenticated, CurrentUser, type AuthUser } from '@bedside/auth';
import { Clock, DomainError } from '@bedside/common';
import { KpiRepository } from './kpi.repository';
import { KpisDto } from './kpis.dto';

export class KpiQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'default: 24 h before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiTags('call centre')
@Controller('api/alarms/kpis')
export class KpisController {
  constructor(
    private readonly kpis: KpiRepository,
    private readonly clock: Clock,
  ) {}

  /** Default window: the last 24 hours. */
  @Get()
  @ApiOkResponse({ type: KpisDto })
  @Authenticated({ permission: 'kpi.read' })
  get(@Query() q: KpiQuery, @CurrentUser() me: AuthUser) {
    const now = new Date(this.clock.now());
    const to = q.to ? new Date(q.to) : now;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 86_400_000);
    if (from >= to) throw new DomainError('VALIDATION_FAILED', '`from` must be before `to`');
    return this.kpis.compute(me.organisationId ?? undefined, from, to, now);
  }
}
