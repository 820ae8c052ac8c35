import type { RuleSet } from './rule-set';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Defaults from Sleepace and Chinese vendor defaults, the ThingsBoard assisted-living template,
 * NEWS2 and telecare practice. Margins, clear holds, warm-up and debounce are our choices; the
 * reasons are in the rules README.
 */
export const DEFAULT_RULE_SET: RuleSet = deepFreeze({
  version: 1,
  timeZone: 'Asia/Shanghai',
  suppression: { minSignalQuality: 30, warmupMs: 60 * SECOND },
  // Two missed samples break a hold; a 5 s floor absorbs 1 Hz jitter, a minute is the longest a
  // reading is assumed to persist unseen.
  eventTime: { gapFactor: 2, minGapMs: 5 * SECOND, maxGapMs: MINUTE, clockResetMs: 10 * MINUTE },
  // Ballistocardiography mattresses need up to a minute after someone lies down to lock onto the
  // heartbeat and breathing (they report 0 meanwhile). Pulse oximetry is unreliable in motion and at
  // poor perfusion, the commonest source of false desaturation alarms.
  artefacts: {
    settleAfterInBedMs: MINUTE,
    jumpConfirmMs: 10 * SECOND,
    spo2: { maxMovement: 30, minSignalQuality: 50 },
  },
  presence: { returnDebounceMs: 30 * SECOND },
  maintenance: { exemptKinds: [] },
  sos: { enabled: true, severity: 'critical', repeatSeverity: 'critical' },
  fall: {
    enabled: true,
    severity: 'critical',
    cancelWindowMs: 30 * SECOND,
    motionlessSeverity: 'critical',
    motionlessMaxMovement: 0,
  },
  bedExit: {
    enabled: true,
    severity: 'major',
    nightWindow: { start: '22:00', end: '06:00' },
    returnWithinMs: 20 * MINUTE,
  },
  prolongedAbsence: { enabled: true, severity: 'minor', maxDurationMs: 4 * HOUR, returnBy: null },
  heartRate: {
    enabled: true,
    major: { low: 45, high: 120, forMs: 2 * MINUTE },
    critical: { low: 40, high: 140, forMs: 30 * SECOND },
    clearMargin: 5,
    clearForMs: MINUTE,
    minSamples: 1,
    // 0 <-> 70 bpm from one sample to the next at good signal is the sensor losing or finding the pulse.
    maxStep: 40,
  },
  respiration: {
    enabled: true,
    major: { low: 8, high: 26, forMs: 2 * MINUTE },
    critical: null,
    clearMargin: 2,
    clearForMs: MINUTE,
    minSamples: 1,
    maxStep: 10,
  },
  // Respiration rate 0 is "no breathing detected"; any rate >= 1 held 10 s ends the apnea.
  apnea: {
    enabled: true,
    major: null,
    critical: { low: 0, high: null, forMs: 30 * SECOND },
    clearMargin: 1,
    clearForMs: 10 * SECOND,
    minSamples: 1,
    maxStep: 10,
  },
  // Desaturation can be fast, so no step limit; three consecutive low samples rule out a lone dip.
  spo2: {
    enabled: true,
    major: { low: 91, high: null, forMs: MINUTE },
    critical: null,
    clearMargin: 2,
    clearForMs: MINUTE,
    minSamples: 3,
    maxStep: null,
  },
  // A dropped connection that returns within a minute needs no one; a flapping one raises one alarm,
  // which clears once the device has stayed back for a minute.
  deviceOffline: { enabled: true, severity: 'minor', silentAfterMs: 5 * MINUTE, graceMs: MINUTE, clearAfterMs: MINUTE },
  lowBattery: { enabled: true, severity: 'warning', threshold: 15, clearMargin: 5 },
  notWorn: { enabled: true, severity: 'warning', afterMs: 12 * HOUR },
  tamper: { enabled: true, severity: 'minor' },
} satisfies RuleSet);

// Frozen so no caller can change the defaults for every other bed by accident.
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
