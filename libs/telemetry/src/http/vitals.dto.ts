import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NUMERIC_FIELDS, type NumericField } from '../telemetry-point';

/** Longest range served as raw samples; longer ranges need an interval. */
export const MAX_RAW_RANGE_MS = 24 * 60 * 60 * 1000;
/** Most intervals one aggregate request may produce. */
export const MAX_BUCKETS = 10_000;
export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 31 * 24 * 60 * 60 * 1000;
export const DEFAULT_RANGE_MS = 60 * 60 * 1000;
export const MAX_RAW_LIMIT = 10_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '60s', '5m', '1h', '1d', '500ms' -> ms; anything else is left as is for the validator to refuse. */
export function parseInterval(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(value.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : value;
}

/** ISO 8601 or epoch ms -> ms; anything else is left as is for the validator to refuse. */
export function parseTime(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  const s = value.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  return value;
}

function parseFields(value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  const items: unknown[] = Array.isArray(value) ? value : [value];
  if (!items.every((v): v is string => typeof v === 'string')) return value;
  const list = items.flatMap((v) => v.split(','));
  return list.map((f) => f.trim()).filter((f) => f.length > 0);
}

export class VitalsQueryDto {
  @ApiPropertyOptional({
    description: 'Start, inclusive: ISO 8601 or epoch ms. Default: `to` minus one hour.',
    example: '2025-01-01T00:00:00Z',
  })
  @IsOptional()
  @Transform(({ value }) => parseTime(value))
  @IsInt({ message: 'from must be an ISO 8601 date-time or epoch milliseconds' })
  @Min(0, { message: 'from must not be before 1970' })
  from?: number;

  @ApiPropertyOptional({
    description: 'End, exclusive: ISO 8601 or epoch ms. Default: now.',
    example: '2025-01-01T01:00:00Z',
  })
  @IsOptional()
  @Transform(({ value }) => parseTime(value))
  @IsInt({ message: 'to must be an ISO 8601 date-time or epoch milliseconds' })
  @Min(1, { message: 'to must be after 1970' })
  to?: number;

  @ApiPropertyOptional({
    description:
      'Aggregate per interval (min/mean/max/count), e.g. 60s, 5m, 1h, 1d. Without it, raw samples are returned.',
    example: '5m',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }) => parseInterval(value))
  @IsInt({ message: 'interval must be a whole number followed by ms, s, m, h or d (e.g. 60s, 5m)' })
  @Min(MIN_INTERVAL_MS, { message: `interval must be at least ${MIN_INTERVAL_MS / 1000}s` })
  @Max(MAX_INTERVAL_MS, { message: 'interval must be at most 31d' })
  interval?: number;

  @ApiPropertyOptional({
    description: `Comma-separated fields. One or more of: ${NUMERIC_FIELDS.join(', ')}. Default: all.`,
    example: 'heartRate,spo2',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }) => parseFields(value))
  @IsArray()
  @ArrayNotEmpty({ message: 'fields must name at least one field' })
  @IsIn(NUMERIC_FIELDS, {
    each: true,
    message: `fields: unknown field; known fields are ${NUMERIC_FIELDS.join(', ')}`,
  })
  fields?: NumericField[];

  @ApiPropertyOptional({
    description: `Most raw samples returned (default and maximum ${MAX_RAW_LIMIT}).`,
    example: 1000,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || value === ''
      ? undefined
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : value,
  )
  @IsInt()
  @Min(1)
  @Max(MAX_RAW_LIMIT)
  limit?: number;
}

export class VitalsSampleDto {
  @ApiProperty() deviceId!: string;
  @ApiProperty({ enum: ['mattress', 'button', 'wearable'] }) kind!: string;
  @ApiProperty({ description: 'Sample time, epoch ms' }) ts!: number;
  @ApiProperty() seq!: number;
  @ApiPropertyOptional() heartRate?: number;
  @ApiPropertyOptional() respirationRate?: number;
  @ApiPropertyOptional() movement?: number;
  @ApiPropertyOptional() signalQuality?: number;
  @ApiPropertyOptional() spo2?: number;
  @ApiPropertyOptional() steps?: number;
  @ApiPropertyOptional() battery?: number;
  @ApiPropertyOptional() inBed?: boolean;
  @ApiPropertyOptional() worn?: boolean;
}

export class AggregateStatsDto {
  @ApiProperty() min!: number;
  @ApiProperty() mean!: number;
  @ApiProperty() max!: number;
  @ApiProperty() count!: number;
}

export class VitalsBucketDto {
  @ApiProperty({ description: 'Interval start, epoch ms' }) ts!: number;
  @ApiProperty({
    description: 'Per field; fields without samples in the interval are absent',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/AggregateStatsDto' },
  })
  values!: Record<string, AggregateStatsDto>;
}

export class VitalsResponseDto {
  @ApiProperty() bedId!: string;
  @ApiProperty({ description: 'epoch ms, inclusive' }) from!: number;
  @ApiProperty({ description: 'epoch ms, exclusive' }) to!: number;
  @ApiProperty({ enum: NUMERIC_FIELDS, isArray: true }) fields!: string[];
  @ApiPropertyOptional({ description: 'Set when aggregated' }) intervalMs?: number;
  @ApiPropertyOptional({ type: [VitalsSampleDto], description: 'Raw samples, oldest first (without interval)' })
  samples?: VitalsSampleDto[];
  @ApiPropertyOptional({ description: 'True when the raw result hit the limit' }) truncated?: boolean;
  @ApiPropertyOptional({
    type: [VitalsBucketDto],
    description: 'Aggregates per interval, oldest first; empty intervals omitted (with interval)',
  })
  buckets?: VitalsBucketDto[];
}
