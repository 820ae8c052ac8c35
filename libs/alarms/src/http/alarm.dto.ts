import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { toQueryList, toStrictBoolean, toStrictInt } from '@bedside/common';
import { ALARM_OUTCOMES, RULE_KINDS, SEVERITIES, type OperatorOutcome } from '@bedside/rules';

const STATES = ['raised', 'acknowledged', 'resolved'] as const;
/** `?state=raised,acknowledged` or `?state=raised&state=acknowledged`; `open` = raised + acknowledged. */
const toList = toQueryList({ open: ['raised', 'acknowledged'] });

export class AlarmQueryDto {
  @ApiPropertyOptional({ enum: STATES, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsIn(STATES, { each: true })
  state?: (typeof STATES)[number][];

  @ApiPropertyOptional({ enum: SEVERITIES, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsIn(SEVERITIES, { each: true })
  severity?: (typeof SEVERITIES)[number][];

  @ApiPropertyOptional({ enum: RULE_KINDS, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsIn(RULE_KINDS, { each: true })
  kind?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  bedId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only households in this district (GET /api/regions)' })
  @IsOptional()
  @IsUUID()
  district?: string;

  @ApiPropertyOptional({ description: 'raised at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'raised before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'include alarms recorded under a maintenance silence' })
  @IsOptional()
  @Transform(toStrictBoolean)
  @IsBoolean()
  includeSuppressed?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class AcknowledgeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ResolveDto {
  @ApiProperty({ enum: ALARM_OUTCOMES })
  @IsIn(ALARM_OUTCOMES)
  outcome!: OperatorOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class NoteDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  text!: string;
}

export class SilenceDto {
  @ApiProperty({ description: 'end of the silence (ISO 8601)' })
  @IsISO8601({ strict: true })
  until!: string;

  @ApiProperty({ example: 'mattress replacement' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class BacktestDto {
  @ApiProperty()
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty()
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({ description: 'proposed bed-level override, replacing the stored one for this run' })
  @IsOptional()
  @IsObject()
  override?: Record<string, unknown>;
}

export class RangeQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
