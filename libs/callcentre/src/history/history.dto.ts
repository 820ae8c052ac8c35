import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { toQueryList, toStrictInt } from '@bedside/common';
import { ALARM_OUTCOMES, RULE_KINDS } from '@bedside/rules';

export const HISTORY_OUTCOMES = [...ALARM_OUTCOMES, 'auto_resolved', 'open'] as const;
const toList = toQueryList();

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: "the resident's alarms (beds they are in now)" })
  @IsOptional()
  @IsUUID()
  residentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  householdId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  bedId?: string;

  @ApiPropertyOptional({ enum: RULE_KINDS, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsIn(RULE_KINDS, { each: true })
  kind?: string[];

  @ApiPropertyOptional({ enum: HISTORY_OUTCOMES, isArray: true, description: '`open`: not resolved yet' })
  @IsOptional()
  @Transform(toList)
  @IsIn(HISTORY_OUTCOMES, { each: true })
  outcome?: string[];

  @ApiPropertyOptional({ description: 'words in the resident, household, address or bed label' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: 'raised at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'raised before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class TimelineQueryDto {
  @ApiPropertyOptional({ description: 'default: 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
