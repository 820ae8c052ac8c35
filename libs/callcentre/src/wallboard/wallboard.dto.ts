import { ApiProperty } from '@nestjs/swagger';
import type { Wallboard } from './wallboard.repository';

const share = { type: Number, nullable: true, description: 'share, 0..1' } as const;
const seconds = { type: Number, nullable: true } as const;

export class WallboardQueueDto {
  @ApiProperty() open!: number;
  @ApiProperty() unacknowledged!: number;
  @ApiProperty() held!: number;
  @ApiProperty() escalated!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'open alarms by severity' })
  bySeverity!: Record<string, number>;
  @ApiProperty(seconds) oldestUnacknowledgedSeconds!: number | null;
}

export class WallboardOperatorDto {
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
  @ApiProperty({ description: 'open alarms this operator acknowledged and has not resolved' }) handlingNow!: number;
  @ApiProperty() acknowledged!: number;
  @ApiProperty() resolved!: number;
  @ApiProperty() calls!: number;
  @ApiProperty(seconds) answerSecondsP50!: number | null;
}

export class WallboardEscalationsDto {
  @ApiProperty() inWindow!: number;
  @ApiProperty() openEscalated!: number;
}

export class WallboardDispatchesDto {
  @ApiProperty({ description: 'open work orders (not closed, on an alarm not resolved)' }) open!: number;
  @ApiProperty({ description: 'open work orders past the due time of the step they wait for' }) overdue!: number;
}

export class WallboardTotalsDto {
  @ApiProperty() raised!: number;
  @ApiProperty({ description: 'alarms a person had to handle' }) humanHandled!: number;
  @ApiProperty({ description: 'device alarms that cleared and resolved by themselves' }) autoResolved!: number;
  @ApiProperty(share) ackedWithin60sOfHuman!: number | null;
  @ApiProperty(share) ackedWithin180sOfHuman!: number | null;
}

export class WallboardDayDto {
  @ApiProperty({ example: '2026-03-28' }) day!: string;
  @ApiProperty() raised!: number;
  @ApiProperty() humanHandled!: number;
  @ApiProperty() autoResolved!: number;
  @ApiProperty(share) ackedWithin60sOfHuman!: number | null;
  @ApiProperty(seconds) answerSecondsP50!: number | null;
  @ApiProperty() falseAlarms!: number;
}

/** The supervisor wallboard: the queue now, operators and totals over the window, and daily trends. */
export class WallboardDto implements Wallboard {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: WallboardQueueDto }) queue!: WallboardQueueDto;
  @ApiProperty({ type: [WallboardOperatorDto] }) operators!: WallboardOperatorDto[];
  @ApiProperty({ type: WallboardEscalationsDto }) escalations!: WallboardEscalationsDto;
  @ApiProperty({ type: WallboardDispatchesDto }) dispatches!: WallboardDispatchesDto;
  @ApiProperty({ type: WallboardTotalsDto }) totals!: WallboardTotalsDto;
  @ApiProperty({ type: [WallboardDayDto], description: 'one row per day in `timeZone`, oldest first' })
  trends!: WallboardDayDto[];
}
