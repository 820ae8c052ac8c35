import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateOrganisationDto {
  @ApiProperty({ example: '沈阳市和平区呼叫服务中心' })
  @IsString()
  @Length(1, 200)
  name!: string;
}
