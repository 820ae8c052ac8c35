import type { I18n } from './I18nProvider';

/** "3 min 12 s" / "3 分 12 秒", growing to hours and days. */
export function formatAge(ms: number, t: I18n['t']): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600) % 24;
  const d = Math.floor(total / 86400);
  if (d > 0) return t('age.days', { d, h });
  if (h > 0) return t('age.hours', { h, m });
  if (m > 0) return t('age.minutes', { m, s });
  return t('age.seconds', { s });
}
