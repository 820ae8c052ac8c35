import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class CreateBedDto {
  @ApiProperty()
  @IsUUID()
  householdId!: string;

  @ApiPropertyOptional({ description: 'resident who sleeps in this bed' })
  @IsOptional()
  @IsUUID()
  residentId?: string;

  @ApiProperty({ example: '主卧护理床' })
  @IsString()
  @Length(1, 100)
  label!: string;
}

export class AssignResidentDto {
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsUUID()
  residentId?: string | null;
}
