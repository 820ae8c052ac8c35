import { ApiProperty } from '@nestjs/swagger';
import { DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import type { Bed } from './beds/bed.repository';
import type { Device, DeviceStatusView } from './devices/device.repository';
import { ContactDto } from './households/household.dto';
import type { Household } from './households/household.repository';
import type { Organisation } from './organisations/organisation.repository';
import type { Resident } from './residents/resident.repository';

/*
 * What the registry routes answer, for the OpenAPI document. Each class implements the record
 * it describes, so a field added there without a description here fails to compile.
 */

const created = { type: String, format: 'date-time' } as const;
const time = { type: String, format: 'date-time', nullable: true } as const;

export class OrganisationViewDto implements Organisation {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty(created) createdAt!: Date;
}

export class HouseholdViewDto implements Household {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ description: 'IANA time zone, e.g. Asia/Shanghai' }) timeZone!: string;
  @ApiProperty({ type: [ContactDto], description: 'in call order' }) contacts!: ContactDto[];
  @ApiProperty(created) createdAt!: Date;
}

export class ResidentViewDto implements Resident {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) householdId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: Number, nullable: true }) birthYear!: number | null;
  @ApiProperty({ type: [String] }) conditions!: string[];
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty(created) createdAt!: Date;
}

export class BedViewDto implements Bed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) householdId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) residentId!: string | null;
  @ApiProperty() label!: string;
  @ApiProperty(created) createdAt!: Date;
}

export class DeviceStatusViewDto implements DeviceStatusView {
  @ApiProperty() online!: boolean;
  @ApiProperty(time) lastSeenAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: 'percent' }) battery!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'dBm' }) rssi!: number | null;
  @ApiProperty({ type: String, nullable: true }) firmware!: string | null;
  @ApiProperty(time) statusAt!: Date | null;
}

export class DeviceViewDto implements Device {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: DeviceKind;
  @ApiProperty() serial!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, nullable: true }) firmware!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) bedId!: string | null;
  @ApiProperty(created) credentialsIssuedAt!: Date;
  @ApiProperty(time) revokedAt!: Date | null;
  @ApiProperty({ type: DeviceStatusViewDto }) status!: DeviceStatusViewDto;
  @ApiProperty(created) createdAt!: Date;
}

/** A bed with the devices bound to it. */
export class BedDetailDto extends BedViewDto {
  @ApiProperty({ type: [DeviceViewDto] }) devices!: DeviceViewDto[];
}
