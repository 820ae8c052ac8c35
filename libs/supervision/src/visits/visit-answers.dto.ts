import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import {
  VISIT_OUTCOMES,
  VISIT_SOURCES,
  VISIT_STATES,
  type AssigneeKind,
  type Visit,
  type VisitHistoryEntry,
  type VisitOutcome,
  type VisitSource,
  type VisitState,
} from './domain/visit';
import type { TimelineEntry } from './resident-timeline.repository';
import type { VisitView } from './visit.repository';

/*
 * What the visit routes answer, for the OpenAPI document. Each class implements the record it
 * describes, so a field added there without a description here fails to compile. Times are
 * epoch milliseconds.
 */

const ms = { description: 'epoch ms' } as const;
const nullableMs = { type: Number, nullable: true, description: 'epoch ms' } as const;

export class AssigneeDto {
  @ApiProperty({ enum: ['worker', 'team'] }) kind!: AssigneeKind;
  @ApiProperty() name!: string;
}

export class VisitHistoryEntryDto implements VisitHistoryEntry {
  @ApiProperty(ms) at!: number;
  @ApiProperty() actor!: string;
  @ApiProperty({ enum: ['assign', 'check_in', 'reschedule', 'note', 'cancel', 'planned', 'overdue'] })
  action!: VisitHistoryEntry['action'];
  @ApiProperty({ enum: VISIT_STATES, nullable: true }) from!: VisitState | null;
  @ApiProperty({ enum: VISIT_STATES }) to!: VisitState;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

/** A home visit as a work order, with whether it is open past its due time. */
export class VisitDto implements Visit {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ format: 'uuid' }) residentId!: string;
  @ApiProperty({ format: 'uuid' }) householdId!: string;
  @ApiProperty({ enum: VISIT_SOURCES }) source!: VisitSource;
  @ApiProperty({ description: 'what planned it, for not planning it twice' }) sourceKey!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) alarmId!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: VISIT_STATES }) state!: VisitState;
  @ApiProperty({ type: AssigneeDto, nullable: true }) assignee!: AssigneeDto | null;
  @ApiProperty(ms) dueAt!: number;
  @ApiProperty(nullableMs) checkedInAt!: number | null;
  @ApiProperty({ enum: VISIT_OUTCOMES, nullable: true }) outcome!: VisitOutcome | null;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ ...nullableMs, description: 'when first seen open past its due time (epoch ms)' })
  overdueAt!: number | null;
  @ApiProperty({ type: [VisitHistoryEntryDto] }) history!: VisitHistoryEntryDto[];
  @ApiProperty() createdBy!: string;
  @ApiProperty(ms) createdAt!: number;
  @ApiProperty(ms) updatedAt!: number;
  @ApiProperty({ description: 'open and past its due time now' }) overdue!: boolean;
}

export class PlaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

/** A visit with whom it is for and where, as lists show it. */
export class VisitViewDto extends VisitDto implements VisitView {
  @ApiProperty() residentName!: string;
  @ApiProperty() householdName!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ type: PlaceDto, nullable: true }) district!: PlaceDto | null;
  @ApiProperty({ type: PlaceDto, nullable: true }) street!: PlaceDto | null;
}

type Entry<T extends TimelineEntry['type']> = Extract<TimelineEntry, { type: T }>;

export class AlarmTimelineEntryDto implements Entry<'alarm'> {
  @ApiProperty(ms) at!: number;
  @ApiProperty({ enum: ['alarm'] }) type!: 'alarm';
  @ApiProperty({ format: 'uuid' }) alarmId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() severity!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: String, nullable: true }) outcome!: string | null;
}

/** A step in one of the resident's visits. */
export class VisitTimelineEntryDto extends VisitHistoryEntryDto implements Entry<'visit'> {
  @ApiProperty({ enum: ['visit'] }) type!: 'visit';
  @ApiProperty({ format: 'uuid' }) visitId!: string;
  @ApiProperty({ enum: VISIT_SOURCES }) source!: string;
}

/** A night off the resident's baseline. */
export class DeviationTimelineEntryDto implements Entry<'deviation'> {
  @ApiProperty(ms) at!: number;
  @ApiProperty({ enum: ['deviation'] }) type!: 'deviation';
  @ApiProperty({ example: '2026-03-28' }) night!: string;
  @ApiProperty({ type: [String] }) codes!: string[];
}

/** The resident's alarms, visit steps and nights off the baseline, newest first. */
@ApiExtraModels(AlarmTimelineEntryDto, VisitTimelineEntryDto, DeviationTimelineEntryDto)
export class ResidentTimelineDto {
  @ApiProperty({ format: 'uuid' }) residentId!: string;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(AlarmTimelineEntryDto) },
        { $ref: getSchemaPath(VisitTimelineEntryDto) },
        { $ref: getSchemaPath(DeviationTimelineEntryDto) },
      ],
    },
  })
  entries!: TimelineEntry[];
}
