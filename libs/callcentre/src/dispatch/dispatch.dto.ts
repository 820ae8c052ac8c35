import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { toStrictBoolean, toStrictInt } from '@bedside/common';
import { DISPATCH_STATUSES, RESPONDER_TYPES, type DispatchStatus, type ResponderType } from './domain/dispatch-due';
import type { Dispatch } from './dispatch.repository';

export { DISPATCH_STATUSES, RESPONDER_TYPES, type DispatchStatus } from './domain/dispatch-due';

export class CreateDispatchDto {
  @ApiProperty({ enum: RESPONDER_TYPES })
  @IsIn(RESPONDER_TYPES)
  responderType!: ResponderType;

  @ApiProperty({ example: '王伟 (son, key-holder)' })
  @IsString()
  @Length(1, 200)
  responderName!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class DispatchStatusDto {
  @ApiProperty({ enum: DISPATCH_STATUSES.filter((s) => s !== 'dispatched') })
  @IsIn(['en_route', 'on_site', 'closed'])
  status!: Exclude<DispatchStatus, 'dispatched'>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/** How a dispatch moved on: one entry per status change. */
export class DispatchStepDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ enum: DISPATCH_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

/** A work order as the hub answers it (created, listed, or after a status change). */
export class DispatchDto implements Dispatch {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) alarmId!: string;
  @ApiProperty({ enum: RESPONDER_TYPES }) responderType!: string;
  @ApiProperty() responderName!: string;
  @ApiProperty({ enum: DISPATCH_STATUSES }) status!: DispatchStatus;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [DispatchStepDto] }) history!: DispatchStepDto[];
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the step it waits for is due: arrival (dispatched, en route), then close-out (on site)',
  })
  dueAt!: Date | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when it was flagged late for that step (kept once closed)',
  })
  overdueAt!: Date | null;
  @ApiProperty({ description: 'open and past its due time now' }) overdue!: boolean;
}

/** An open work order of the organisation, with the alarm and resident it is for. */
export class OpenDispatchDto extends DispatchDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() alarmKind!: string;
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty() bedLabel!: string;
  @ApiProperty({ type: String, nullable: true }) residentName!: string | null;
  @ApiProperty() householdName!: string;
}

export class DispatchQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'platform administrators: whose work orders' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ description: 'only open work orders past their due time' })
  @IsOptional()
  @Transform(toStrictBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Transform(toStrictInt)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class DispatchExpectationDto {
  @ApiProperty({ enum: RESPONDER_TYPES })
  @IsIn(RESPONDER_TYPES)
  responderType!: ResponderType;

  @ApiProperty({ example: 1800, description: 'expected on site within this many seconds of dispatch' })
  @IsInt()
  @Min(1)
  @Max(86_400)
  onSiteWithinS!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 7200,
    description: 'work order closed within this many seconds of arrival; null: no expectation',
  })
  @ValidateIf((o: DispatchExpectationDto) => o.closeWithinS !== null)
  @IsInt()
  @Min(1)
  @Max(604_800)
  closeWithinS!: number | null;
}

export class DispatchExpectationsDto {
  @ApiProperty({ type: [DispatchExpectationDto], description: 'responder types left out go back to the defaults' })
  @IsArray()
  @ArrayMaxSize(RESPONDER_TYPES.length)
  @ValidateNested({ each: true })
  @Type(() => DispatchExpectationDto)
  expectations!: DispatchExpectationDto[];
}

export class DispatchExpectationViewDto extends DispatchExpectationDto {
  @ApiProperty({ description: 'the built-in default (the organisation set none for this type)' })
  isDefault!: boolean;
}

export class DispatchExpectationsViewDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ type: [DispatchExpectationViewDto] }) expectations!: DispatchExpectationViewDto[];
}
