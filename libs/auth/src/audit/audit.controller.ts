import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CurrentUser, type AuthUser } from '../current-user.decorator';
import { Authenticated } from '../policy/route-access';
import { AuditRepository } from './audit.repository';

export class AuditQuery {
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @IsString() actor?: string;
  @IsOptional() @IsString() targetId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
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
    return this.audit.query({ organisationId: me.organisationId, from, to, actor: q.actor, targetId: q.targetId, limit: q.limit ?? 500 });
  }
}
