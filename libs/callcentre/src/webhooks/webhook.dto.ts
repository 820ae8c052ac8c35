import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUrl, IsUUID } from 'class-validator';
import { ALARM_EVENT_TYPES } from '@bedside/alarms';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://callcentre.example.org/bedside' })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  url!: string;

  @ApiPropertyOptional({ description: 'the organisation whose alarms to send; defaults to your own' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ enum: ALARM_EVENT_TYPES, isArray: true, description: 'empty or absent: every alarm event' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(ALARM_EVENT_TYPES, { each: true })
  eventTypes?: string[];
}
