import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNonNull, toQueryList, toStrictBoolean, toStrictInt } from '@bedside/common';
import { VISIT_OUTCOMES, VISIT_STATES, type VisitOutcome, type VisitState } from './domain/visit';

/** `?state=planned,assigned` or repeated; `open` = planned + assigned. */
const toStates = toQueryList({ open: ['planned', 'assigned'] });

const CATEGORY = /^[a-z][a-z0-9_]{1,31}$/;
const CATEGORY_MESSAGE = 'category must be 2-32 lower-case letters, digits or _, starting with a letter';

export class VisitQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  residentId?: string;

  @ApiPropertyOptional({ enum: [...VISIT_STATES, 'open'], isArray: true })
  @IsOptional()
  @Transform(toStates)
  @IsIn(VISIT_STATES, { each: true })
  state?: VisitState[];

  @ApiPropertyOptional({ description: 'only open visits past their due time' })
  @IsOptional()
  @Transform(toStrictBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'assigned to this worker or team' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  assignee?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  streetId?: string;

  @ApiPropertyOptional({ description: 'due at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueFrom?: string;

  @ApiPropertyOptional({ description: 'due before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueTo?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class AssignVisitDto {
  @ApiProperty({ enum: ['worker', 'team'], description: 'a community worker (社工) or a team' })
  @IsIn(['worker', 'team'])
  kind!: 'worker' | 'team';

  @ApiPropertyOptional({
    example: '张社工',
    description: "required unless userId is given (then the user's display name)",
  })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the user who is the worker: the visit shows on their own list' })
  @IsOptionalNonNull()
  @IsUUID()
  userId?: string;
}

export class MyVisitsQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class CheckInDto {
  @ApiProperty({ enum: ['visited', 'not_home'] })
  @IsIn(['visited', 'not_home'])
  found!: 'visited' | 'not_home';

  @ApiPropertyOptional({ description: 'when the visitor was at the door (ISO 8601); now if absent' })
  @IsOptionalNonNull()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ enum: VISIT_OUTCOMES, description: 'required when found = visited' })
  @IsOptionalNonNull()
  @IsIn(VISIT_OUTCOMES)
  outcome?: VisitOutcome;

  @ApiPropertyOptional()
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 2000)
  notes?: string;
}

export class RescheduleVisitDto {
  @ApiProperty({ description: 'ISO 8601' })
  @IsISO8601({ strict: true })
  dueAt!: string;
}

export class VisitNoteDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  text!: string;
}

export class CancelVisitDto {
  @ApiProperty({ example: '已入住养老院' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class FollowUpVisitDto {
  @ApiPropertyOptional({ description: 'ISO 8601; 24 hours from now if absent' })
  @IsOptionalNonNull()
  @IsISO8601({ strict: true })
  dueAt?: string;

  @ApiPropertyOptional()
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 500)
  note?: string;
}

export class ManualVisitDto {
  @ApiProperty({ description: 'ISO 8601' })
  @IsISO8601({ strict: true })
  dueAt!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class VisitPolicyDto {
  @ApiProperty({ example: 'living_alone' })
  @Matches(CATEGORY, { message: CATEGORY_MESSAGE })
  category!: string;

  @ApiProperty({ example: 7, description: 'visit at least every this many days' })
  @IsInt()
  @Min(1)
  @Max(366)
  intervalDays!: number;
}

export class VisitPoliciesDto {
  @ApiProperty({ type: [VisitPolicyDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => VisitPolicyDto)
  policies!: VisitPolicyDto[];
}

export class ResidentCategoryDto {
  @ApiProperty({ example: 'living_alone' })
  @Matches(CATEGORY, { message: CATEGORY_MESSAGE })
  category!: string;

  @ApiPropertyOptional({ description: 'in the category since (ISO 8601); kept or now if absent' })
  @IsOptionalNonNull()
  @IsISO8601({ strict: true })
  since?: string;
}

export class ResidentCategoriesDto {
  @ApiProperty({ type: [ResidentCategoryDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ResidentCategoryDto)
  categories!: ResidentCategoryDto[];
}

export class TimelineQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601; 90 days before `to` if absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; now if absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(2000)
  limit?: number;
}
