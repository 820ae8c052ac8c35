import { fromLocal } from '@bedside/rules';
import type { ReportPeriod } from './supervision-report';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isReportMonth = (value: string) => MONTH.test(value);

/** The calendar month in the zone: from local midnight on the 1st to local midnight on the next 1st. */
export function reportPeriod(month: string, timeZone: string): ReportPeriod {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`invalid month ${JSON.stringify(month)}`);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const next = mon === 12 ? { year: year + 1, month: 1 } : { year, month: mon + 1 };
  return {
    month,
    timeZone,
    from: fromLocal({ year, month: mon, day: 1, hour: 0, minute: 0 }, timeZone),
    to: fromLocal({ ...next, day: 1, hour: 0, minute: 0 }, timeZone),
  };
}

/** The night labels ("YYYY-MM-DD") that start in the month. */
export function nightsOfMonth(month: string): { first: string; last: string } {
  const [year, mon] = month.split('-').map(Number);
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}` };
}
