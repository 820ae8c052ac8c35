import type { Time } from '../api/types';

/** Epoch ms from an ISO string or a number; NaN when missing. */
export function toMs(v: Time | null | undefined): number {
  if (v === null || v === undefined || v === '') return NaN;
  return typeof v === 'number' ? v : new Date(v).getTime();
}

// Dates follow the UI language (not the browser's), always on a 24-hour clock. I18nProvider sets it.
let uiLocale = 'zh-CN';
const formatters = new Map<string, Intl.DateTimeFormat>();

export function setFormatLocale(locale: string): void {
  uiLocale = locale;
}

function formatter(
  kind: 'dateTime' | 'time' | 'hourMinute',
  timeZone?: string,
  zoneLabel = false,
): Intl.DateTimeFormat {
  const key = `${uiLocale}|${kind}|${timeZone ?? ''}|${zoneLabel}`;
  let f = formatters.get(key);
  if (!f) {
    const date = kind === 'dateTime' ? ({ year: 'numeric', month: '2-digit', day: '2-digit' } as const) : {};
    const seconds = kind === 'hourMinute' ? {} : ({ second: '2-digit' } as const);
    try {
      f = new Intl.DateTimeFormat(uiLocale, {
        ...date,
        hour: '2-digit',
        minute: '2-digit',
        ...seconds,
        hourCycle: 'h23',
        timeZone,
        ...(zoneLabel && { timeZoneName: 'shortOffset' }),
      });
    } catch {
      f = new Intl.DateTimeFormat(uiLocale, {
        ...date,
        hour: '2-digit',
        minute: '2-digit',
        ...seconds,
        hourCycle: 'h23',
      }); // unknown zone
    }
    formatters.set(key, f);
  }
  return f;
}

const show = (v: Time | null | undefined, f: () => Intl.DateTimeFormat) => {
  const ms = toMs(v);
  return Number.isFinite(ms) ? f().format(ms) : '—';
};

export const formatDateTime = (v: Time | null | undefined) => show(v, () => formatter('dateTime'));
export const formatTime = (v: Time | null | undefined) => show(v, () => formatter('time'));
export const formatHourMinute = (v: Time | null | undefined) => show(v, () => formatter('hourMinute'));

/** The zone's UTC offset at `ms`, as "GMT+8". */
function offsetLabel(ms: number, timeZone: string): string {
  return (
    formatter('hourMinute', timeZone, true)
      .formatToParts(ms)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone
  );
}

const inZone = (v: Time | null | undefined, timeZone: string, kind: 'dateTime' | 'hourMinute') => {
  const ms = toMs(v);
  return Number.isFinite(ms) ? `${formatter(kind, timeZone).format(ms)} (${offsetLabel(ms, timeZone)})` : '—';
};

/** Date and time in another zone (the household's), with its UTC offset: "2026/05/12 03:12:04 (GMT+8)". */
export const formatDateTimeIn = (v: Time | null | undefined, timeZone: string) => inZone(v, timeZone, 'dateTime');
export const formatTimeIn = (v: Time | null | undefined, timeZone: string) => inZone(v, timeZone, 'hourMinute');

/** True when the workstation's zone differs from `timeZone` at `at`. */
export function differsFromLocalZone(timeZone: string, at: number): boolean {
  try {
    const here = new Intl.DateTimeFormat('en', { timeZoneName: 'shortOffset' }).format(at);
    const there = new Intl.DateTimeFormat('en', { timeZoneName: 'shortOffset', timeZone }).format(at);
    return here.split(' ').pop() !== there.split(' ').pop();
  } catch {
    return false;
  }
}

export function isoAttr(v: Time | null | undefined): string | undefined {
  const ms = toMs(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A month "2026-12" named in the UI language ("2026年12月", "December 2026"). */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(uiLocale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, 1),
  );
}
