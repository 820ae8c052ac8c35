import { ApiProperty } from '@nestjs/swagger';
import type { BedOnline } from './domain/supervision-report';
import type { DistrictFigures, SupervisionReport } from './supervision-report.service';

/*
 * The JSON supervision report, for the OpenAPI document. Classes implement the records they
 * describe, so a field added there without a description here fails to compile.
 */

const share = { type: Number, nullable: true, description: 'share, 0..1' } as const;
const seconds = { type: Number, nullable: true } as const;
const counts = { type: 'object', additionalProperties: { type: 'number' } } as const;

export class BedOnlineDto implements BedOnline {
  @ApiProperty({ format: 'uuid' }) bedId!: string;
  @ApiProperty() label!: string;
  @ApiProperty() nightsSummarised!: number;
  @ApiProperty({ ...share, description: 'mean nightly uptime; null without a summarised night' })
  onlineRate!: number | null;
}

export class KindFiguresDto {
  @ApiProperty() kind!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ ...counts, description: 'by outcome code; `open` for unresolved' }) byOutcome!: Record<string, number>;
}

export class AlarmFiguresDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: [KindFiguresDto] }) byKind!: KindFiguresDto[];
  @ApiProperty(counts) byOutcome!: Record<string, number>;
}

export class AnswerFiguresDto {
  @ApiProperty() acknowledged!: number;
  @ApiProperty(seconds) p50Seconds!: number | null;
  @ApiProperty(seconds) p90Seconds!: number | null;
  @ApiProperty(share) within60s!: number | null;
  @ApiProperty(share) within180s!: number | null;
}

export class DispatchFiguresDto {
  @ApiProperty() total!: number;
  @ApiProperty(counts) byResponder!: Record<string, number>;
  @ApiProperty() closed!: number;
  @ApiProperty({ description: 'flagged late at some step (on site or closed after its due time)' }) overdue!: number;
}

export class VisitFiguresDto {
  @ApiProperty() dueInMonth!: number;
  @ApiProperty() done!: number;
  @ApiProperty() notHome!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty(counts) bySource!: Record<string, number>;
}

export class DistrictFiguresDto implements DistrictFigures {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: households not yet placed' })
  districtId!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: 'beds in service at any time in the month' }) bedsInService!: number;
  @ApiProperty({ description: 'their days in service within the month' }) bedDaysInService!: number;
  @ApiProperty(share) onlineRate!: number | null;
  @ApiProperty() alarms!: number;
  @ApiProperty() dispatches!: number;
  @ApiProperty() visitsDone!: number;
  @ApiProperty() visitsOverdue!: number;
}

export class ReportRegionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['district', 'street'] }) kind!: 'district' | 'street';
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
}

/** An organisation's (or one region's) figures for a month. */
export class SupervisionReportDto implements SupervisionReport {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ type: ReportRegionDto, nullable: true }) region!: ReportRegionDto | null;
  @ApiProperty({ example: '2026-03' }) month!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ description: 'beds in service at any time in the month (up to the report time)' })
  bedsInService!: number;
  @ApiProperty({ description: 'their days in service within the month, to 6 decimals' }) bedDaysInService!: number;
  @ApiProperty({ description: 'beds in service at the end of the month, or at the report time while it lasts' })
  bedsInServiceAtEnd!: number;
  @ApiProperty() devicesInService!: number;
  @ApiProperty(share) onlineRate!: number | null;
  @ApiProperty({ type: [BedOnlineDto] }) onlineByBed!: BedOnlineDto[];
  @ApiProperty({ type: AlarmFiguresDto }) alarms!: AlarmFiguresDto;
  @ApiProperty({ type: AnswerFiguresDto }) answer!: AnswerFiguresDto;
  @ApiProperty({ type: DispatchFiguresDto }) dispatches!: DispatchFiguresDto;
  @ApiProperty({ type: VisitFiguresDto }) visits!: VisitFiguresDto;
  @ApiProperty({ type: [DistrictFiguresDto], description: 'the same figures per district of the scope' })
  districts!: DistrictFiguresDto[];
}
