import { Workbook } from 'exceljs';
import { reportCsv, reportXlsx } from './report-export';
import type { SupervisionReport } from './supervision-report.service';

const report: SupervisionReport = {
  organisationId: 'org-1',
  region: { id: 'd1', kind: 'district', name: '鼓楼区', code: '320106' },
  month: '2026-11',
  timeZone: 'Asia/Shanghai',
  from: '2026-10-31T16:00:00.000Z',
  to: '2026-11-30T16:00:00.000Z',
  generatedAt: '2026-12-01T00:00:00.000Z',
  bedsInService: 2,
  bedDaysInService: 45.5,
  bedsInServiceAtEnd: 1,
  devicesInService: 5,
  onlineRate: 0.98765,
  onlineByBed: [
    { bedId: 'b1', label: '=HYPERLINK("http://x")', nightsSummarised: 30, onlineRate: 1 },
    { bedId: 'b2', label: 'bed, "two"', nightsSummarised: 0, onlineRate: null },
  ],
  alarms: { total: 3, byKind: [{ kind: 'fall', total: 3, byOutcome: { assisted: 2, open: 1 } }], byOutcome: {} },
  answer: { acknowledged: 2, p50Seconds: 30, p90Seconds: 50, within60s: 0.6667, within180s: 0.6667 },
  dispatches: { total: 1, byResponder: { keyholder: 1 }, closed: 1, overdue: 1 },
  visits: { dueInMonth: 4, done: 3, notHome: 1, cancelled: 0, overdue: 1, bySource: { policy: 4 } },
  districts: [
    {
      districtId: 'd1',
      name: '鼓楼区',
      bedsInService: 2,
      bedDaysInService: 45.5,
      onlineRate: 0.98765,
      alarms: 3,
      dispatches: 1,
      visitsDone: 3,
      visitsOverdue: 1,
    },
  ],
};

describe('report downloads', () => {
  it('CSV: BOM, CRLF, labelled tables, percentages, RFC 4180 quoting and no live formulas', () => {
    const csv = reportCsv(report);
    expect(csv.startsWith('\ufeff概况 summary\r\n指标 metric,数值 value\r\n')).toBe(true);
    expect(csv).toContain('\r\n在服务床位 beds in service,2\r\n服务床日 bed-days in service,45.5\r\n');
    expect(csv).toContain('\r\n月末在服务床位 beds in service at month end,1\r\n');
    expect(csv).toContain('\r\n设备在线率(%) device online rate,98.77\r\n');
    expect(csv).toContain('\r\nfall,assisted,2\r\nfall,open,1\r\n');
    // A label a spreadsheet would run as a formula is defused; quotes and commas are quoted.
    expect(csv).toContain(`\r\n"'=HYPERLINK(""http://x"")",b1,30,100\r\n`);
    expect(csv).toContain('\r\n"bed, ""two""",b2,0,\r\n');
    expect(csv).toContain('\r\n鼓楼区,2,45.5,98.77,3,1,3,1\r\n');
  });

  it('XLSX: one sheet per table with the same figures', async () => {
    const wb = new Workbook();
    const file = await reportXlsx(report);
    await wb.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概况 summary',
      '告警 alarms',
      '床位在线 beds online',
      '分区 districts',
    ]);
    const rows = (i: number) => {
      const out: unknown[][] = [];
      wb.worksheets[i].eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows(0)).toContainEqual(['在服务床位 beds in service', 2]);
    expect(rows(0)).toContainEqual(['逾期 overdue', 1]);
    expect(rows(1)).toEqual([
      ['类型 kind', '结果 outcome', '数量 count'],
      ['fall', 'assisted', 2],
      ['fall', 'open', 1],
    ]);
    // Cells are values, never formulas.
    expect(rows(2)[1]).toEqual(['=HYPERLINK("http://x")', 'b1', 30, 100]);
  });
});
