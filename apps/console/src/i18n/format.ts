import type { Time } from '../api/types';

/** Epoch ms from an ISO string or a number; NaN when missing. */
export function toMs(v: Time | null | undefined): number {
  if (v === null || v === undefined || v === '') return NaN;
  return typeof v === 'number' ? v : new Date(v).getTime();
}

// Dates follow the browser's locale, always on a 24-hour clock.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function formatDateTime(v: Time | null | undefined): string {
  const ms = toMs(v);
  return Number.isFinite(ms) ? dateTime.format(ms) : '—';
}

export function formatTime(v: Time | null | undefined): string {
  const ms = toMs(v);
  return Number.isFinite(ms) ? timeOnly.format(ms) : '—';
}

export function formatHourMinute(v: Time | null | undefined): string {
  const ms = toMs(v);
  return Number.isFinite(ms) ? hourMinute.format(ms) : '—';
}

export function isoAttr(v: Time | null | undefined): string | undefined {
  const ms = toMs(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
