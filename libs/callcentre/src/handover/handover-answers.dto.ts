import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HandoverItem } from '@bedside/database';
import type { Handover } from './handover.repository';

const text = { type: String, nullable: true } as const;
const time = { type: String, format: 'date-time', nullable: true } as const;

/** One line of a handover: an open or held alarm from the queue, or a follow-up in the writer's words. */
export class HandoverItemDto implements HandoverItem {
  @ApiProperty({ enum: ['open', 'held', 'follow_up'] }) type!: HandoverItem['type'];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) alarmId!: string | null;
  @ApiProperty({ description: "the outgoing shift's words (follow-ups); empty for alarms from the queue" })
  text!: string;
  @ApiPropertyOptional() kind?: string;
  @ApiPropertyOptional() severity?: string;
  @ApiPropertyOptional() state?: string;
  @ApiPropertyOptional(text) residentName?: string | null;
  @ApiPropertyOptional(text) householdName?: string | null;
  @ApiPropertyOptional(time) heldUntil?: string | null;
  @ApiPropertyOptional(text) holdReason?: string | null;
}

export class HandoverDto implements Handover {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [HandoverItemDto] }) items!: HandoverItemDto[];
  @ApiProperty() writtenBy!: string;
  @ApiProperty(text) writtenByName!: string | null;
  @ApiProperty({ format: 'date-time' }) writtenAt!: string;
  @ApiProperty(text) acknowledgedBy!: string | null;
  @ApiProperty(text) acknowledgedByName!: string | null;
  @ApiProperty(time) acknowledgedAt!: string | null;
}

/** What a handover written now would list. */
export class HandoverDraftDto {
  @ApiProperty({ type: [HandoverItemDto] }) items!: HandoverItemDto[];
}
