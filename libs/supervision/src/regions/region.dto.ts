import { AtLeastOneField, IsOptionalNonNull } from '@bedside/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';

const CODE = /^[0-9A-Za-z-]{1,32}$/;

export class CreateRegionDto {
  @ApiProperty()
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ enum: ['district', 'street'], description: 'a district (区) or one of its streets (街道)' })
  @IsIn(['district', 'street'])
  kind!: 'district' | 'street';

  @ApiPropertyOptional({ description: "a street's district; absent for a district" })
  @IsOptionalNonNull()
  @IsUUID()
  parentId?: string;

  @ApiProperty({ example: '鼓楼区' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: '320106', description: 'administrative division code, if known' })
  @IsOptionalNonNull()
  @Matches(CODE, { message: 'code must be 1-32 letters, digits or dashes' })
  code?: string;
}

@AtLeastOneField()
export class UpdateRegionDto {
  @ApiPropertyOptional()
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes it' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @Matches(CODE, { message: 'code must be 1-32 letters, digits or dashes' })
  code?: string | null;
}

export class HouseholdRegionDto {
  @ApiProperty({ nullable: true, format: 'uuid', description: 'a street of the organisation, or null for none' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  regionId!: string | null;
}
