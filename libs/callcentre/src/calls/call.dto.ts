import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { RESPONDER_TYPES } from '../dispatch/dispatch.dto';

export const CALL_OUTCOMES = ['answered', 'no_answer', 'busy', 'wrong_number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const CALLEE_TYPES = ['contact', 'responder'] as const;

export class ResponderDto {
  @ApiProperty({ example: '周丽' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '+86 24 2345 6789' })
  @IsString()
  @Length(1, 50)
  phone!: string;

  @ApiProperty({ enum: RESPONDER_TYPES })
  @IsIn(RESPONDER_TYPES)
  type!: (typeof RESPONDER_TYPES)[number];
}

export class ActionPlanDto {
  @ApiProperty({ type: [String], description: 'the call script, in order' })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  steps!: string[];

  @ApiProperty({ type: [ResponderDto], description: 'responders called after the household contacts, in order' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ResponderDto)
  responders!: ResponderDto[];
}

export class CallAttemptDto {
  @ApiProperty({ enum: CALLEE_TYPES })
  @IsIn(CALLEE_TYPES)
  calleeType!: (typeof CALLEE_TYPES)[number];

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  calleeName!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  phone!: string;

  @ApiProperty({ enum: CALL_OUTCOMES })
  @IsIn(CALL_OUTCOMES)
  outcome!: CallOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
