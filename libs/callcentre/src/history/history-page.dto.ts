import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ALARM_OUTCOMES, SEVERITIES } from '@bedside/rules';
import type { HistoryItem } from './history.repository';

const text = { type: String, nullable: true } as const;
const time = { type: String, format: 'date-time', nullable: true } as const;
const id = { type: String, format: 'uuid', nullable: true } as const;

/** A past (or open) alarm with who and where it was about. Implements the record it describes. */
export class HistoryItemDto implements HistoryItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: ['raised', 'acknowledged', 'resolved'] }) state!: string;
  @ApiProperty({ enum: [...ALARM_OUTCOMES, 'auto_resolved'], nullable: true }) outcome!: string | null;
  @ApiProperty({ description: 'why it was raised, as a code' }) reason!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'parameters of `reason`' })
  details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty(time) acknowledgedAt!: string | null;
  @ApiProperty(text) acknowledgedBy!: string | null;
  @ApiProperty(text) acknowledgedByName!: string | null;
  @ApiProperty(time) resolvedAt!: string | null;
  @ApiProperty(text) resolvedBy!: string | null;
  @ApiProperty(text) resolvedByName!: string | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty(text) bedLabel!: string | null;
  @ApiProperty(id) residentId!: string | null;
  @ApiProperty(text) residentName!: string | null;
  @ApiProperty(id) householdId!: string | null;
  @ApiProperty(text) householdName!: string | null;
  @ApiProperty(text) address!: string | null;
  @ApiProperty({ ...text, description: "the household's IANA time zone" }) timeZone!: string | null;
}

/** One page of a history search, newest first. */
export class HistoryPageDto {
  @ApiProperty({ type: [HistoryItemDto] }) items!: HistoryItemDto[];
  @ApiProperty({ description: 'matches over all pages' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class AlarmHistoryEntryDto {
  @ApiProperty({ enum: ['alarm'] }) type!: 'alarm';
  @ApiProperty({ format: 'date-time', description: 'when it was raised' }) at!: string;
  @ApiProperty({ type: HistoryItemDto }) alarm!: HistoryItemDto;
}

export class DeviceEventDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ type: String, nullable: true }) deviceKind!: string | null;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'button.pressed' }) type!: string;
  @ApiProperty(id) bedId!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}

export class DeviceEventHistoryEntryDto {
  @ApiProperty({ enum: ['device_event'] }) type!: 'device_event';
  @ApiProperty({ format: 'date-time', description: 'the device time of the event' }) at!: string;
  @ApiProperty({ type: DeviceEventDto }) event!: DeviceEventDto;
}

/** A resident's alarms and device events in a window, newest first. */
@ApiExtraModels(AlarmHistoryEntryDto, DeviceEventHistoryEntryDto)
export class ResidentAlarmHistoryDto {
  @ApiProperty({ format: 'uuid' }) residentId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [{ $ref: getSchemaPath(AlarmHistoryEntryDto) }, { $ref: getSchemaPath(DeviceEventHistoryEntryDto) }],
    },
  })
  items!: (AlarmHistoryEntryDto | DeviceEventHistoryEntryDto)[];
}
