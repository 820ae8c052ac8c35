import { AtLeastOneField, IsOptionalNonNull } from '@bedside/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsTimeZone,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class ContactDto {
  @ApiProperty({ example: '王伟' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: '+86 138 0000 0000' })
  @Matches(/^\+?[0-9 ()-]{5,24}$/, {
    message: 'phone must be 5-24 digits, spaces, brackets or dashes, optionally starting with +',
  })
  phone!: string;

  @ApiPropertyOptional({ example: 'son' })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 50)
  relation?: string;

  @ApiProperty({
    enum: ['keyholder', 'emergency'],
    description: 'key-holders can open the door; emergency contacts are called',
  })
  @IsIn(['keyholder', 'emergency'])
  role!: 'keyholder' | 'emergency';

  @ApiProperty({ example: 1, description: '1 is called first' })
  @IsInt()
  @Min(1)
  @Max(20)
  callOrder!: number;
}

export class CreateHouseholdDto {
  @ApiProperty()
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ example: '李奶奶家' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '辽宁省沈阳市和平区南京北街 1 号 3-2-501' })
  @IsString()
  @Length(1, 500)
  address!: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai' })
  @IsOptionalNonNull()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ type: [ContactDto] })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

/** A partial update: at least one field; `null` is refused like any wrong type, not taken as "unset". */
@AtLeastOneField()
export class UpdateHouseholdDto extends PartialType(OmitType(CreateHouseholdDto, ['organisationId'] as const), {
  skipNullProperties: false,
}) {}
