import { ApiProperty } from '@nestjs/swagger';
import { RULE_KINDS } from '@bedside/rules';
import { RESPONDER_TYPES } from '../dispatch/dispatch.dto';
import type { ActionPlan } from './action-plan.repository';
import type { CallAttempt } from './call-attempt.repository';
import { CALL_OUTCOMES, CALLEE_TYPES, ResponderDto, type CallOutcome } from './call.dto';
import type { CallListEntry } from './call-list';

/*
 * What the call-centre routes answer, for the OpenAPI document. Each class implements the
 * record it describes, so a field added there without a description here fails to compile.
 */

/** An organisation's call script and responders for one alarm kind. */
export class StoredActionPlanDto implements ActionPlan {
  @ApiProperty({ enum: RULE_KINDS }) kind!: string;
  @ApiProperty({ type: [String], description: 'the call script, in order' }) steps!: string[];
  @ApiProperty({ type: [ResponderDto] }) responders!: ResponderDto[];
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CallAttemptRecordDto implements CallAttempt {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) alarmId!: string;
  @ApiProperty({ enum: CALLEE_TYPES }) calleeType!: CallAttempt['calleeType'];
  @ApiProperty() calleeName!: string;
  @ApiProperty() phone!: string;
  @ApiProperty({ enum: CALL_OUTCOMES }) outcome!: CallOutcome;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() actor!: string;
  @ApiProperty({ type: String, nullable: true }) actorName!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CallListEntryDto implements CallListEntry {
  @ApiProperty({ enum: CALLEE_TYPES }) calleeType!: CallListEntry['calleeType'];
  @ApiProperty() name!: string;
  @ApiProperty() phone!: string;
  @ApiProperty({ description: 'contacts: keyholder or emergency; responders: their dispatch type' }) role!: string;
  @ApiProperty({ enum: RESPONDER_TYPES, description: 'what a dispatch of this person is' })
  responderType!: CallListEntry['responderType'];
  @ApiProperty({ type: String, nullable: true }) relation!: string | null;
  @ApiProperty({ description: 'calls made to this person so far' }) attempts!: number;
  @ApiProperty({ enum: CALL_OUTCOMES, nullable: true }) lastOutcome!: CallOutcome | null;
}

/** Whom to call for an alarm, in order, under its kind's action plan, with the calls made so far. */
export class CallListDto {
  @ApiProperty({ type: StoredActionPlanDto, nullable: true }) plan!: StoredActionPlanDto | null;
  @ApiProperty({ type: [CallListEntryDto] }) entries!: CallListEntryDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'index of whom to call next; null once someone answered or everyone was tried',
  })
  next!: number | null;
  @ApiProperty({ type: [CallAttemptRecordDto] }) attempts!: CallAttemptRecordDto[];
}
