/**
 * Alarm kinds the rules produce. snake_case because they are stored in SQL and sent to the console.
 * `tamper` is an extra kind: devices report it, so it gets a (minor) rule rather than being dropped.
 */
export const RULE_KINDS = [
  'sos',
  'fall',
  'bed_exit',
  'prolonged_absence',
  'heart_rate',
  'respiration',
  'apnea',
  'spo2',
  'device_offline',
  'low_battery',
  'not_worn',
  'tamper',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Kinds whose episode ends only when an operator resolves it: there is no condition to clear by itself. */
export const EVENT_KINDS: readonly RuleKind[] = ['sos', 'fall', 'tamper'];

export function isRuleKind(value: unknown): value is RuleKind {
  return typeof value === 'string' && (RULE_KINDS as readonly string[]).includes(value);
}
