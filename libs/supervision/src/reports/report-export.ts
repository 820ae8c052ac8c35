import { Workbook } from 'exceljs';
import type { SupervisionReport } from './supervision-report.service';

type Cell = string | number | null;

/** The report as labelled tables: zh-CN label first, then the English key a machine can match. */
function tables(r: SupervisionReport): { name: string; header: string[]; rows: Cell[][] }[] {
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 100);
  return [
    {
      name: '概况 summary',
      header: ['指标 metric', '数值 value'],
      rows: [
        ['机构 organisation', r.organisationId],
        ['区域 region', r.region ? `${r.region.name} (${r.region.kind})` : null],
        ['月份 month', r.month],
        ['时区 time zone', r.timeZone],
        ['在服务床位 beds in service', r.bedsInService],
        ['服务床日 bed-days in service', r.bedDaysInService],
        ['月末在服务床位 beds in service at month end', r.bedsInServiceAtEnd],
        ['在服务设备 devices in service', r.devicesInService],
        ['设备在线率(%) device online rate', pct(r.onlineRate)],
        ['告警总数 alarms', r.alarms.total],
        ['已应答 acknowledged', r.answer.acknowledged],
        ['应答时间中位数(秒) answer p50 s', r.answer.p50Seconds],
        ['应答时间P90(秒) answer p90 s', r.answer.p90Seconds],
        ['60秒内应答(%) within 60 s', pct(r.answer.within60s)],
        ['180秒内应答(%) within 180 s', pct(r.answer.within180s)],
        ['派单 dispatches', r.dispatches.total],
        ['已结单 dispatches closed', r.dispatches.closed],
        ['超时派单 dispatches overdue', r.dispatches.overdue],
        ['本月应访 visits due', r.visits.dueInMonth],
        ['已探访 visits done', r.visits.done],
        ['未遇 not home', r.visits.notHome],
        ['已取消 cancelled', r.visits.cancelled],
        ['逾期 overdue', r.visits.overdue],
        ['生成时间 generated at', r.generatedAt],
      ],
    },
    {
      name: '告警 alarms',
      header: ['类型 kind', '结果 outcome', '数量 count'],
      rows: r.alarms.byKind.flatMap((k) =>
        Object.entries(k.byOutcome).map(([outcome, n]): Cell[] => [k.kind, outcome, n]),
      ),
    },
    {
      name: '床位在线 beds online',
      header: ['床位 bed', '编号 bed id', '统计夜数 nights', '在线率(%) online rate'],
      rows: r.onlineByBed.map((b) => [b.label, b.bedId, b.nightsSummarised, pct(b.onlineRate)]),
    },
    {
      name: '分区 districts',
      header: [
        '区 district',
        '在服务床位 beds in service',
        '服务床日 bed-days',
        '在线率(%) online rate',
        '告警 alarms',
        '派单 dispatches',
        '已探访 visits done',
        '逾期 overdue',
      ],
      rows: r.districts.map((d) => [
        d.name ?? '未分区 unassigned',
        d.bedsInService,
        d.bedDaysInService,
        pct(d.onlineRate),
        d.alarms,
        d.dispatches,
        d.visitsDone,
        d.visitsOverdue,
      ]),
    },
  ];
}

const csvCell = (c: Cell) => {
  if (c === null) return '';
  const s = String(c);
  // RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof c === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** RFC 4180 CSV, UTF-8 with a byte-order mark (spreadsheets then read the Chinese labels right); tables one after another. */
export function reportCsv(r: SupervisionReport): string {
  const lines: string[] = [];
  for (const t of tables(r)) {
    if (lines.length) lines.push('');
    lines.push(csvCell(t.name));
    lines.push(t.header.map(csvCell).join(','));
    for (const row of t.rows) lines.push(row.map(csvCell).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** One worksheet per table. */
export async function reportXlsx(r: SupervisionReport): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = 'Bedside';
  wb.created = new Date(r.generatedAt);
  for (const t of tables(r)) {
    const ws = wb.addWorksheet(t.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31));
    ws.addRow(t.header).font = { bold: true };
    for (const row of t.rows) ws.addRow(row);
    ws.columns.forEach((c) => (c.width = 24));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
