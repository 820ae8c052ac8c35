import { BadRequestException, Controller, Get, Inject, Param, Query, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, inPath } from '@bedside/auth';
import { NUMERIC_FIELDS, type NumericField, type TelemetryPoint } from '../telemetry-point';
import { TelemetryStore } from '../telemetry.store';
import {
  AggregateStatsDto,
  DEFAULT_RANGE_MS,
  MAX_BUCKETS,
  MAX_RAW_LIMIT,
  MAX_RAW_RANGE_MS,
  VitalsQueryDto,
  VitalsResponseDto,
  type VitalsSampleDto,
} from './vitals.dto';

const queryPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  transformOptions: { enableImplicitConversion: false },
});

const IDENTITY = ['deviceId', 'kind', 'ts', 'seq'] as const;

@ApiTags('vitals')
@ApiExtraModels(AggregateStatsDto)
@Controller('api/beds')
export class VitalsController {
  constructor(@Inject(TelemetryStore) private readonly store: TelemetryStore) {}

  @Get(':bedId/vitals')
  @ApiOperation({ summary: 'Vitals of a bed over a time range: raw samples, or min/mean/max/count per interval' })
  @ApiParam({ name: 'bedId', format: 'uuid' })
  @ApiOkResponse({ type: VitalsResponseDto })
  @ApiBadRequestResponse({ description: 'Bad bed id, range, interval or field' })
  @Authenticated({ permission: 'vitals.read', owns: [inPath('bed', 'bedId')], residentData: true })
  async vitals(@Param('bedId') bedId: string, @Query(queryPipe) q: VitalsQueryDto): Promise<VitalsResponseDto> {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DEFAULT_RANGE_MS;
    if (from >= to) throw new BadRequestException(['from must be before to']);
    const fields: NumericField[] = q.fields ?? [...NUMERIC_FIELDS];

    if (q.interval !== undefined) {
      const buckets = Math.ceil((to - from) / q.interval);
      if (buckets > MAX_BUCKETS)
        throw new BadRequestException([
          `range / interval gives ${buckets} intervals; at most ${MAX_BUCKETS} are allowed: widen the interval or shorten the range`,
        ]);
      const rows = await this.store.aggregate({ bedId, from, to, intervalMs: q.interval, fields });
      return { bedId, from, to, fields, intervalMs: q.interval, buckets: rows };
    }

    if (to - from > MAX_RAW_RANGE_MS)
      throw new BadRequestException([
        `raw samples are served for ranges up to ${MAX_RAW_RANGE_MS / 3_600_000}h; give an interval to aggregate a longer range`,
      ]);
    const limit = q.limit ?? MAX_RAW_LIMIT;
    const points = await this.store.query({ bedId, from, to, limit });
    return { bedId, from, to, fields, samples: points.map((p) => pick(p, fields)), truncated: points.length >= limit };
  }
}

function pick(p: TelemetryPoint, fields: readonly NumericField[]): VitalsSampleDto {
  const out: Record<string, unknown> = {};
  for (const k of IDENTITY) out[k] = p[k];
  for (const f of [...fields, 'inBed', 'worn'] as const) {
    const v = p[f];
    if (v !== null && v !== undefined) out[f] = v;
  }
  return out as unknown as VitalsSampleDto;
}
