import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  type ValidatorConstraintInterface,
  ValidatorConstraint,
} from 'class-validator';
import { Authenticated, CurrentUser, scopeOf, type AuthUser } from '@bedside/auth';
import { Clock, toStrictInt } from '@bedside/common';
import { WallboardDto } from './wallboard.dto';
import { WallboardRepository } from './wallboard.repository';

@ValidatorConstraint({ name: 'timeZone' })
class IsTimeZone implements ValidatorConstraintInterface {
  validate(v: unknown): boolean {
    if (typeof v !== 'string') return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Asia/Shanghai';
  }
}

export class WallboardQuery {
  @ApiPropertyOptional({ description: 'hours of the per-operator and totals window', default: 12 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(168)
  hours?: number;

  @ApiPropertyOptional({ description: 'days of trends', default: 7 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;

  @ApiPropertyOptional({ description: 'zone the trend days are counted in', default: 'Asia/Shanghai' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Validate(IsTimeZone)
  timeZone?: string;
}

@ApiTags('call centre')
@Controller('api/wallboard')
export class WallboardController {
  constructor(
    private readonly wallboard: WallboardRepository,
    private readonly clock: Clock,
  ) {}

  /** Live queue health and late work orders, per-operator load and answer times, escalations and daily trends. */
  @Get()
  @ApiOkResponse({ type: WallboardDto })
  @Authenticated({ permission: 'kpi.read' })
  get(@Query() q: WallboardQuery, @CurrentUser() me: AuthUser) {
    const now = new Date(this.clock.now());
    const from = new Date(now.getTime() - (q.hours ?? 12) * 3_600_000);
    return this.wallboard.compute(scopeOf(me), now, from, q.days ?? 7, q.timeZone ?? 'Asia/Shanghai');
  }
}
