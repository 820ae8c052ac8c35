import { ApiProperty } from '@nestjs/swagger';
import type { DistrictTree, HouseholdRegion, Region, RegionKind } from './region.repository';

/*
 * What the region routes answer, for the OpenAPI document. Each class implements the record it
 * describes, so a field added there without a description here fails to compile.
 */

export class RegionDto implements Region {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: ['district', 'street'] }) kind!: RegionKind;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "a street's district; null for a district",
  })
  parentId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

/** A district with its streets. */
export class DistrictTreeDto extends RegionDto implements DistrictTree {
  @ApiProperty({ type: [RegionDto] }) streets!: RegionDto[];
}

export class RegionRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
}

/** Where a household sits (both null until assigned). */
export class HouseholdRegionViewDto implements HouseholdRegion {
  @ApiProperty({ format: 'uuid' }) householdId!: string;
  @ApiProperty({ type: RegionRefDto, nullable: true }) street!: RegionRefDto | null;
  @ApiProperty({ type: RegionRefDto, nullable: true }) district!: RegionRefDto | null;
}
