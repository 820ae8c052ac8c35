import { ApiProperty } from '@nestjs/swagger';
import { ALARM_OUTCOMES, SEVERITIES } from '@bedside/rules';
import type { ContextualAlarmView } from '../model/alarm-context';
import type { AlarmView, AuditView } from '../model/alarm-record';
import type { QueueAlarmView } from '../persistence/alarm.repository';
import type { AlarmDetail } from '../services/alarm.service';

/*
 * How REST shows an alarm, for the OpenAPI document (and the console's types generated from it).
 * Each class implements the view it describes, so a field added to the view without a
 * description here fails to compile.
 */

const STATES = ['raised', 'acknowledged', 'resolved'];
const isoTime = { type: String, format: 'date-time' } as const;
const nullableIso = { ...isoTime, nullable: true } as const;
const nullableText = { type: String, nullable: true } as const;

export class AlarmViewDto implements AlarmView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty({ ...nullableText, description: 'device or resident the alarm is about' }) subject!: string | null;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: STATES }) state!: string;
  @ApiProperty({ description: 'the condition that raised it is over' }) cleared!: boolean;
  @ApiProperty(nullableIso) clearedAt!: string | null;
  @ApiProperty(nullableIso) cancelledByResidentAt!: string | null;
  @ApiProperty() repeatCount!: number;
  @ApiProperty(isoTime) startedAt!: string;
  @ApiProperty(isoTime) raisedAt!: string;
  @ApiProperty(nullableIso) acknowledgedAt!: string | null;
  @ApiProperty(nullableText) acknowledgedBy!: string | null;
  @ApiProperty(nullableIso) resolvedAt!: string | null;
  @ApiProperty(nullableText) resolvedBy!: string | null;
  @ApiProperty({ enum: [...ALARM_OUTCOMES, 'auto_resolved'], nullable: true }) outcome!: string | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty(nullableIso) lastEscalatedAt!: string | null;
  @ApiProperty(nullableIso) nextEscalationAt!: string | null;
  @ApiProperty({ format: 'uuid' }) incidentId!: string;
  @ApiProperty({ description: 'recorded under a maintenance silence' }) suppressed!: boolean;
  @ApiProperty({ description: 'why it was raised, as a code (sos_pressed, battery_low, …)' }) reason!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'parameters of `reason`' })
  details!: AlarmView['details'];
  @ApiProperty({ description: 'deduplication key: one open alarm per key' }) key!: string;
  @ApiProperty(nullableIso) heldSince!: string | null;
  @ApiProperty({ ...nullableIso, description: 'a held alarm alerts again at this time' }) heldUntil!: string | null;
  @ApiProperty(nullableText) holdReason!: string | null;
  @ApiProperty(nullableText) heldBy!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) holdEscalates!: boolean | null;
}

/** The alarm with who and where it is about, as lists, the stream and the detail show it. */
export class ContextualAlarmViewDto extends AlarmViewDto implements ContextualAlarmView {
  @ApiProperty(nullableText) bedLabel!: string | null;
  @ApiProperty(nullableText) residentName!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) householdId!: string | null;
  @ApiProperty(nullableText) householdName!: string | null;
  @ApiProperty(nullableText) address!: string | null;
  @ApiProperty({ ...nullableText, description: "the household's IANA time zone" }) timeZone!: string | null;
  @ApiProperty(nullableText) acknowledgedByName!: string | null;
  @ApiProperty(nullableText) resolvedByName!: string | null;
}

export class NamedRegionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

/** A queue row: the alarm in context with its household's district and street. */
export class QueueAlarmViewDto extends ContextualAlarmViewDto implements QueueAlarmView {
  @ApiProperty({ type: NamedRegionDto, nullable: true }) district!: NamedRegionDto | null;
  @ApiProperty({ type: NamedRegionDto, nullable: true }) street!: NamedRegionDto | null;
}

export class AuditViewDto implements AuditView {
  @ApiProperty(isoTime) at!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() action!: string;
  @ApiProperty(nullableText) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty(nullableText) note!: string | null;
  @ApiProperty({ ...nullableText, description: 'a hub-written note as a code; null for typed text' })
  code!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  params!: Record<string, string | number | boolean> | null;
}

export class IncidentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: [AlarmViewDto] }) alarms!: AlarmViewDto[];
}

/** One alarm with its timeline; every operator action answers it as it is after the action. */
export class AlarmDetailDto implements AlarmDetail {
  @ApiProperty({ type: ContextualAlarmViewDto }) alarm!: ContextualAlarmViewDto;
  @ApiProperty({ type: [AuditViewDto] }) timeline!: AuditViewDto[];
  @ApiProperty({ type: IncidentDto }) incident!: IncidentDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "display names of the timeline's people, by username",
  })
  actors!: Record<string, string>;
}
