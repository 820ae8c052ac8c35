/** Alarm kinds and outcomes a search can choose (the hub's RULE_KINDS and outcome codes). */
export const KINDS = [
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

export const SEARCH_OUTCOMES = [
  'open',
  'real_emergency',
  'assisted',
  'false_alarm',
  'test',
  'cancelled_by_resident',
  'device_fault',
  'auto_resolved',
] as const;
