import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

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
