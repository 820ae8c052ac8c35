import { ApiProperty } from '@nestjs/swagger';
import { CALL_FOR_HELP_EVENT_TYPES, DEVICE_KINDS } from '@bedside/contracts';
import type { ProvisionalAlarm, ProvisionalStored } from '../provisional/provisional-alarm';

/*
 * The alarm stream's notices outside the journal (no SSE id), for the OpenAPI document and the
 * console's generated types. Each class implements the notice it describes.
 */

const isoTime = { type: String, format: 'date-time' } as const;
const nullableText = { type: String, nullable: true } as const;

/** SSE `event: provisional.alarm`: a call for help heard but not stored yet. */
export class ProvisionalAlarmDto implements ProvisionalAlarm {
  @ApiProperty({ description: '`deviceId/eventId`: the same call across resends and nodes' }) key!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() deviceId!: string;
  @ApiProperty({ enum: DEVICE_KINDS }) deviceKind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) bedId!: string | null;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: [...CALL_FOR_HELP_EVENT_TYPES] }) eventType!: string;
  @ApiProperty({ ...isoTime, description: "the device's time of the event" }) deviceTs!: string;
  @ApiProperty({ ...isoTime, description: 'when the hub first heard it' }) receivedAt!: string;
  @ApiProperty({ ...nullableText, description: 'the cluster node that heard it' }) node!: string | null;
  @ApiProperty({ ...isoTime, description: 'drop the card after this if no stored notice came' }) expiresAt!: string;
  @ApiProperty(nullableText) bedLabel!: string | null;
  @ApiProperty(nullableText) residentName!: string | null;
  @ApiProperty(nullableText) householdName!: string | null;
  @ApiProperty(nullableText) address!: string | null;
}

/** SSE `event: provisional.stored`: the call is stored; the card gives way to its alarm. */
export class ProvisionalStoredDto implements ProvisionalStored {
  @ApiProperty() key!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() deviceId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) bedId!: string | null;
  @ApiProperty(isoTime) storedAt!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the journalled alarm the call raised or updated (its event was sent before this notice)',
  })
  alarmId!: string | null;
}
