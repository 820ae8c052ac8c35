import { ApiProperty } from '@nestjs/swagger';
import type { Kpis } from './kpi.repository';

const share = { type: Number, nullable: true, description: 'share of the alarms raised, 0..1' } as const;
const seconds = { type: Number, nullable: true } as const;

export class AckSecondsDto {
  @ApiProperty(seconds) p50!: number | null;
  @ApiProperty(seconds) p95!: number | null;
}

export class OpenByAgeDto {
  @ApiProperty({ enum: ['<1m', '1-5m', '5-15m', '>15m'] }) bucket!: Kpis['openByAge'][number]['bucket'];
  @ApiProperty() count!: number;
}

export class FalseAlarmRateDto {
  @ApiProperty() kind!: string;
  @ApiProperty({ description: 'false alarms / resolved alarms of the kind, 0..1' }) rate!: number;
  @ApiProperty({ description: 'resolved alarms of the kind' }) total!: number;
}

/** Supervisor KPIs over a window. */
export class KpisDto implements Kpis {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ description: 'alarms raised in the window' }) alarms!: number;
  @ApiProperty({ type: AckSecondsDto, description: 'raise to acknowledge, over alarms acknowledged in the window' })
  ackSeconds!: AckSecondsDto;
  @ApiProperty(share) ackedWithin60s!: number | null;
  @ApiProperty(share) ackedWithin180s!: number | null;
  @ApiProperty({ type: [OpenByAgeDto] }) openByAge!: OpenByAgeDto[];
  @ApiProperty({ type: [FalseAlarmRateDto] }) falseAlarmRate!: FalseAlarmRateDto[];
}
