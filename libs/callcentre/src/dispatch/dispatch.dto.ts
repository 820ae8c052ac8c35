import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { Dispatch } from './dispatch.repository';

export const RESPONDER_TYPES = ['keyholder', 'community_worker', 'ambulance'] as const;
export const DISPATCH_STATUSES = ['dispatched', 'en_route', 'on_site', 'closed'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

export class CreateDispatchDto {
  @ApiProperty({ enum: RESPONDER_TYPES })
  @IsIn(RESPONDER_TYPES)
  responderType!: (typeof RESPONDER_TYPES)[number];

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
}
