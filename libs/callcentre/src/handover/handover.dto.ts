import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';

export class FollowUpDto {
  @ApiProperty({ example: '明早回访李奶奶家属，确认夜间用药' })
  @IsString()
  @Length(1, 1000)
  text!: string;

  @ApiPropertyOptional({ description: 'the alarm it is about' })
  @IsOptional()
  @IsUUID()
  alarmId?: string;
}

export class CreateHandoverDto {
  @ApiProperty({ example: '夜班平稳，2 起跌倒已处理，1 起待家属回电' })
  @IsString()
  @Length(1, 4000)
  summary!: string;

  @ApiProperty({ type: [FollowUpDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FollowUpDto)
  followUps!: FollowUpDto[];
}
