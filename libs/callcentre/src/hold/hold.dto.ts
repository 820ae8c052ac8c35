import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, Length } from 'class-validator';

export class HoldDto {
  @ApiProperty({ description: 'return time (ISO 8601): the alarm alerts again then, one priority level higher' })
  @IsISO8601({ strict: true })
  until!: string;

  @ApiProperty({ example: '家属正在回电' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({
    description: 'stop escalation of a held critical alarm until it returns (supervisors and administrators only)',
  })
  @IsOptional()
  @IsBoolean()
  stopEscalation?: boolean;
}

export class StopEscalationDto {
  @ApiProperty({ example: '家属已在路上，5 分钟到' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
