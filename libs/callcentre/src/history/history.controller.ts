import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Authenticated, CurrentUser, inPath, inQuery, scopeOf, type AuthUser } from '@bedside/auth';
import { Clock, DomainError } from '@bedside/common';
import { toCsv } from './csv';
import { HistoryQueryDto, TimelineQueryDto } from './history.dto';
import { HistoryPageDto, ResidentAlarmHistoryDto } from './history-page.dto';
import { HistoryRepository, type HistoryFilter, type HistoryItem } from './history.repository';

/** An export is one file a person opens in a spreadsheet: bounded. */
const EXPORT_MAX_ROWS = 50_000;
const TIMELINE_MAX_ITEMS = 1_000;
const DAY_MS = 86_400_000;

export class ExportQueryDto extends HistoryQueryDto {
  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], default: 'zh-CN', description: 'language of the header row' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  lang?: 'zh-CN' | 'en';
}

const HEADER = {
  'zh-CN': [
    '报警编号',
    '报警时间 (UTC)',
    '住户当地时间',
    '类型',
    '级别',
    '状态',
    '处理结果',
    '住户',
    '家庭',
    '地址',
    '床位',
    '接警时间 (UTC)',
    '接警人',
    '应答秒数',
    '结束时间 (UTC)',
    '结束人',
  ],
  en: [
    'alarm id',
    'raised (UTC)',
    'household local time',
    'kind',
    'severity',
    'state',
    'outcome',
    'resident',
    'household',
    'address',
    'bed',
    'acknowledged (UTC)',
    'acknowledged by',
    'answer seconds',
    'resolved (UTC)',
    'resolved by',
  ],
} as const;

/** "2026-12-04 22:10:03 (GMT+8)" in the household's zone. */
function householdTime(isoTime: string, timeZone: string | null): string {
  if (!timeZone) return '';
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    }).formatToParts(new Date(isoTime));
    const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
    return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} (${p('timeZoneName')})`;
  } catch {
    return '';
  }
}

function row(a: HistoryItem): (string | number | null)[] {
  const answer = a.acknowledgedAt ? Math.round((Date.parse(a.acknowledgedAt) - Date.parse(a.raisedAt)) / 1000) : null;
  return [
    a.id,
    a.raisedAt,
    householdTime(a.raisedAt, a.timeZone),
    a.kind,
    a.severity,
    a.state,
    a.outcome,
    a.residentName,
    a.householdName,
    a.address,
    a.bedLabel,
    a.acknowledgedAt,
    a.acknowledgedByName ?? a.acknowledgedBy,
    answer,
    a.resolvedAt,
    a.resolvedByName ?? a.resolvedBy,
  ];
}

@ApiTags('call centre')
@Controller('api')
export class HistoryController {
  constructor(
    private readonly history: HistoryRepository,
    private readonly clock: Clock,
  ) {}

  /** Past and open alarms by resident, household, bed, kind, outcome, words and time, newest first. */
  @Get('history/alarms')
  @ApiOkResponse({ type: HistoryPageDto })
  @Authenticated({
    permission: 'alarm.read',
    owns: [inQuery('resident', 'residentId'), inQuery('household', 'householdId'), inQuery('bed', 'bedId')],
    residentData: true,
  })
  async search(@Query() q: HistoryQueryDto, @CurrentUser() user: AuthUser) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const { items, total } = await this.history.search(this.filter(q, user), page, pageSize);
    return { items, total, page, pageSize };
  }

  /** The same search as a CSV file (UTF-8 with BOM, RFC 4180). */
  @Get('history/alarms.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="alarms.csv"')
  @ApiProduces('text/csv')
  @Authenticated({
    permission: 'alarm.read',
    owns: [inQuery('resident', 'residentId'), inQuery('household', 'householdId'), inQuery('bed', 'bedId')],
    residentData: true,
  })
  async exportCsv(@Query() q: ExportQueryDto, @CurrentUser() user: AuthUser): Promise<string> {
    const items = await this.history.all(this.filter(q, user), EXPORT_MAX_ROWS);
    return toCsv(HEADER[q.lang ?? 'zh-CN'], items.map(row));
  }

  /** A resident's alarms and device events, newest first (default: the last 30 days); the call-centre view beside the resident timeline. */
  @Get('residents/:id/alarm-history')
  @ApiOkResponse({ type: ResidentAlarmHistoryDto })
  @Authenticated({ permission: 'alarm.read', owns: [inPath('resident')], residentData: true })
  timeline(@Param('id') id: string, @Query() q: TimelineQueryDto): Promise<ResidentAlarmHistoryDto> {
    const to = q.to ? new Date(q.to) : new Date(this.clock.now());
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new DomainError('VALIDATION_FAILED', '`from` must be before `to`');
    return this.history.residentTimeline(id, from, to, TIMELINE_MAX_ITEMS);
  }

  private filter(q: HistoryQueryDto, user: AuthUser): HistoryFilter {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from >= to) throw new DomainError('VALIDATION_FAILED', '`from` must be before `to`');
    return {
      organisationId: scopeOf(user),
      residentId: q.residentId,
      householdId: q.householdId,
      bedId: q.bedId,
      kind: q.kind,
      outcome: q.outcome,
      q: q.q,
      from,
      to,
    };
  }
}
