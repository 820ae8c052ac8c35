import type { Visit } from '../api/supervision';

type Tn = (key: string, params?: Record<string, string | number>) => string | null;

/**
 * The visit's reason in the UI language. The hub writes it as text from fixed patterns
 * ("night 2026-12-03: bed_exits_up, no_data", "living_alone: at least every 7 days", "after sos
 * alarm: <the operator's note>"); anything else (an operator's own words) is shown as written.
 */
export function visitReason(v: Pick<Visit, 'source' | 'reason'>, tn: Tn): string {
  const code = (c: string) => tn(`deviationCode.${c}`) ?? c;
  if (v.source === 'deviation') {
    const m = /^night (\d{4}-\d{2}-\d{2}): (.+)$/.exec(v.reason);
    if (m)
      return tn('visitReason.deviation', { night: m[1], codes: m[2].split(', ').map(code).join('、') }) ?? v.reason;
  }
  if (v.source === 'policy') {
    const m = /^([a-z][a-z0-9_]*): at least every (\d+) days$/.exec(v.reason);
    if (m)
      return tn('visitReason.policy', { category: tn(`category.${m[1]}`) ?? m[1], days: Number(m[2]) }) ?? v.reason;
  }
  if (v.source === 'alarm') {
    const m = /^after ([a-z][a-z0-9_]*) alarm(?:: ([\s\S]*))?$/.exec(v.reason);
    if (m) {
      const kind = tn(`kind.${m[1]}`) ?? m[1];
      const text =
        m[2] === undefined ? tn('visitReason.alarm', { kind }) : tn('visitReason.alarmNote', { kind, note: m[2] });
      return text ?? v.reason;
    }
  }
  return v.reason;
}
