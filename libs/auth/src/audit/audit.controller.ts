import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { toStrictInt } from '@bedside/common';
import { CurrentUser, type AuthUser } from '../current-user.decorator';
import { Authenticated } from '../policy/route-access';
import { AuditRepository } from './audit.repository';

export class AuditQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'default: 7 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ description: 'username of the actor' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) targetId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5000 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

@ApiTags('auth')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  /** Newest first; a supervisor sees their own organisation's entries. */
  @Get()
  @Authenticated({ permission: 'audit.read' })
  list(@Query() q: AuditQuery, @CurrentUser() me: AuthUser) {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
    return this.audit.query({
      organisationId: me.organisationId,
      from,
      to,
      actor: q.actor,
      targetId: q.targetId,
      limit: q.limit ?? 500,
    });
  }
}
