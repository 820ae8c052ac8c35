import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptionalNonNull } from '@bedside/common';
import { IsNumber, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

const NIGHT_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NIGHT_MESSAGE = (field: string) => ({ message: `${field} must be a night date, YYYY-MM-DD` });

export class NightRangeQueryDto {
  @ApiPropertyOptional({
    description: 'First night (the local date it starts), inclusive. Default: 27 nights before `to`.',
    example: '2026-03-01',
  })
  @IsOptional()
  @IsString()
  @Matches(NIGHT_DATE, NIGHT_MESSAGE('from'))
  from?: string;

  @ApiPropertyOptional({
    description: 'Last night, inclusive. Default: 27 nights after `from`, or today (UTC).',
    example: '2026-03-28',
  })
  @IsOptional()
  @IsString()
  @Matches(NIGHT_DATE, NIGHT_MESSAGE('to'))
  to?: string;
}

export class RecomputeNightsDto {
  @ApiProperty({ description: 'First night to compute again, inclusive.', example: '2026-03-01' })
  @IsString()
  @Matches(NIGHT_DATE, NIGHT_MESSAGE('from'))
  from!: string;

  @ApiProperty({ description: 'Last night, inclusive; at most 62 nights.', example: '2026-03-07' })
  @IsString()
  @Matches(NIGHT_DATE, NIGHT_MESSAGE('to'))
  to!: string;
}

export class DeviationsQueryDto {
  @ApiProperty({ description: 'The night (the local date it starts).', example: '2026-03-28' })
  @IsString()
  @Matches(NIGHT_DATE, NIGHT_MESSAGE('date'))
  date!: string;
}

export class DeviationDto {
  @ApiProperty({
    enum: ['no_data', 'bed_exits_up', 'resting_heart_rate_up', 'resting_respiration_rate_up', 'time_in_bed_down'],
  })
  code!: string;

  @ApiProperty({ type: Number, nullable: true, description: "The night's figure" })
  value!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Baseline median' })
  baseline!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The limit crossed' })
  threshold!: number | null;
}

export class StoredNightDto {
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty({ example: '2026-03-28' }) night!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) residentId!: string | null;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({
    description: 'Night summary; see libs/wellness/README.md for every figure',
    type: 'object',
    additionalProperties: true,
  })
  summary!: object;
  @ApiProperty({
    description: 'Baseline of the nights before (ready: false during the warm-up)',
    type: 'object',
    additionalProperties: true,
  })
  baseline!: object;
  @ApiProperty({ type: [DeviationDto] }) deviations!: DeviationDto[];
  @ApiProperty({ description: '1 when first stored, +1 each time it is computed or re-assessed again' })
  revision!: number;
  @ApiProperty({ description: 'ms since the epoch' }) computedAt!: number;
}

export class ResidentWellnessDto {
  @ApiProperty({ format: 'uuid' }) residentId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [StoredNightDto] }) nights!: StoredNightDto[];
}

export class FlaggedResidentDto {
  @ApiProperty({ format: 'uuid' }) residentId!: string;
  @ApiProperty() residentName!: string;
  @ApiProperty({ format: 'uuid' }) householdId!: string;
  @ApiProperty() householdName!: string;
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty() night!: string;
  @ApiProperty({ type: [DeviationDto] }) deviations!: DeviationDto[];
}

export class WellnessDeviationsDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() night!: string;
  @ApiProperty({ type: [FlaggedResidentDto] }) residents!: FlaggedResidentDto[];
}

export class RiseThresholdDto {
  @ApiPropertyOptional({
    description: "Least rise above the baseline median that flags, in the figure's unit",
    example: 2,
  })
  @IsOptionalNonNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(1000)
  minChange?: number;

  @ApiPropertyOptional({ description: 'Or this many baseline MADs, whichever is larger', example: 3 })
  @IsOptionalNonNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10)
  madFactor?: number;
}

export class FallThresholdDto {
  @ApiPropertyOptional({
    description: 'Least fall below the baseline median that flags, as a fraction of it',
    example: 0.3,
  })
  @IsOptionalNonNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  minFraction?: number;

  @ApiPropertyOptional({ description: 'Or this many baseline MADs, whichever is larger', example: 3 })
  @IsOptionalNonNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10)
  madFactor?: number;
}

/** Parts left out take the defaults. */
export class WellnessThresholdsDto {
  @ApiPropertyOptional({ type: RiseThresholdDto, description: 'Bed exits (count); default minChange 2, madFactor 3' })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RiseThresholdDto)
  bedExits?: RiseThresholdDto;

  @ApiPropertyOptional({
    type: RiseThresholdDto,
    description: 'Resting heart rate (bpm); default minChange 8, madFactor 3',
  })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RiseThresholdDto)
  restingHeartRate?: RiseThresholdDto;

  @ApiPropertyOptional({
    type: RiseThresholdDto,
    description: 'Resting respiration rate (/min); default minChange 4, madFactor 3',
  })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => RiseThresholdDto)
  restingRespirationRate?: RiseThresholdDto;

  @ApiPropertyOptional({ type: FallThresholdDto, description: 'Time in bed; default minFraction 0.3, madFactor 3' })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => FallThresholdDto)
  timeInBed?: FallThresholdDto;
}

export class EffectiveThresholdsDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ description: 'True while the organisation keeps the defaults' }) defaults!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Every threshold in force' })
  thresholds!: object;
}
