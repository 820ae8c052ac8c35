import { AtLeastOneField } from '@bedside/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class CreateResidentDto {
  @ApiProperty()
  @IsUUID()
  householdId!: string;

  @ApiProperty({ example: '李秀英' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: 1938 })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiPropertyOptional({ example: ['hypertension', 'atrial fibrillation'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  conditions?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  notes?: string;
}

/** A partial update: at least one field; `null` is refused like any wrong type, not taken as "unset". */
@AtLeastOneField()
export class UpdateResidentDto extends PartialType(OmitType(CreateResidentDto, ['householdId'] as const), {
  skipNullProperties: false,
}) {}
