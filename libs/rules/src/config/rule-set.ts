import type { RuleKind } from '../model/rule-kind';
import type { Severity } from '../model/severity';

/** Local wall-clock time "HH:MM" (24 h) in the rule set's time zone. */
export type LocalTime = string;

/** A reading is abnormal when `value <= low` or `value >= high` (either bound may be absent), held for `forMs`. */
export interface VitalBand {
  low: number | null;
  high: number | null;
  forMs: number;
}

/**
 * Two tiers share one alarm per bed and kind: a critical tier upgrades an open major alarm.
 * Hysteresis: clears only after readings stay inside the widest band shrunk by `clearMargin` for `clearForMs`.
 */
export interface VitalRule {
  enabled: boolean;
  major: VitalBand | null;
  critical: VitalBand | null;
  clearMargin: number;
  clearForMs: number;
}

export interface NightWindow {
  start: LocalTime;
  end: LocalTime;
}

export interface RuleSet {
  version: 1;
  /** IANA zone of the household: night windows and "back by" times are local. */
  timeZone: string;
  suppression: {
    /** Samples with signalQuality below this (0..100) give no vital-sign alarms. */
    minSignalQuality: number;
    /** Vital signs from a device are ignored for this long after it comes online. */
    warmupMs: number;
  };
  presence: {
    /** A return to bed shorter than this is ignored (sitting on the edge), so absence keeps counting. */
    returnDebounceMs: number;
  };
  maintenance: {
    /** Kinds that still alert during a maintenance silence. */
    exemptKinds: RuleKind[];
  };
  sos: { enabled: boolean; severity: Severity; repeatSeverity: Severity };
  fall: {
    enabled: boolean;
    severity: Severity;
    /** The resident may cancel on the device within this window before an alarm is raised. */
    cancelWindowMs: number;
    /** No movement after the fall raises at once with this severity. */
    motionlessSeverity: Severity;
    /** Wearable movement at or below this after a fall counts as "no movement". */
    motionlessMaxMovement: number;
  };
  bedExit: { enabled: boolean; severity: Severity; nightWindow: NightWindow; returnWithinMs: number };
  prolongedAbsence: {
    enabled: boolean;
    severity: Severity;
    maxDurationMs: number;
    /** Optional "not back by" local time; null disables it. */
    returnBy: LocalTime | null;
  };
  heartRate: VitalRule;
  respiration: VitalRule;
  apnea: VitalRule;
  spo2: VitalRule;
  deviceOffline: { enabled: boolean; severity: Severity; silentAfterMs: number };
  lowBattery: { enabled: boolean; severity: Severity; threshold: number; clearMargin: number };
  notWorn: { enabled: boolean; severity: Severity; afterMs: number };
  tamper: { enabled: boolean; severity: Severity };
}

type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

/**
 * A partial rule set (organisation or bed/resident level). Objects merge field by field,
 * arrays replace, `null` sets a nullable field to null, absent fields inherit.
 */
export type RuleSetOverride = { [K in keyof RuleSet]?: DeepPartial<RuleSet[K]> | null };
