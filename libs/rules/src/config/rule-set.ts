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
  /** A tier fires only once this many consecutive samples breach it (besides holding for `forMs`). */
  minSamples: number;
  /**
   * A change at least this large between consecutive samples is held back as a likely artefact until it
   * persists for `artefacts.jumpConfirmMs`; once confirmed it counts from its first sample. null: off.
   */
  maxStep: number | null;
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
  /** Holds are judged on each sample's own time (`ts`); see the README's "Hold semantics". */
  eventTime: {
    /** A hold breaks when consecutive samples of a device are further apart than this many of its sample intervals... */
    gapFactor: number;
    /** ...but never less than this (jitter of fast devices)... */
    minGapMs: number;
    /** ...and never more than this, whatever the device's interval. */
    maxGapMs: number;
    /** A sample this much older than the device's newest starts a new timeline (clock reset, backlog upload). */
    clockResetMs: number;
  };
  artefacts: {
    /** Mattress vital signs are ignored for this long after the mattress senses someone lying down. */
    settleAfterInBedMs: number;
    /** How long a jump beyond a rule's `maxStep` must persist to count as real. */
    jumpConfirmMs: number;
    spo2: {
      /** SpO2 samples with wearable movement above this (0..100) are ignored; null: off. */
      maxMovement: number | null;
      /** SpO2 samples with signal quality below this (0..100) are ignored (poor perfusion or fit). */
      minSignalQuality: number;
    };
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
  deviceOffline: {
    enabled: boolean;
    severity: Severity;
    silentAfterMs: number;
    /** An offline status (or Last Will) counts only once the device has stayed offline this long. */
    graceMs: number;
    /** The offline alarm clears once the device has stayed back online this long. */
    clearAfterMs: number;
  };
  lowBattery: { enabled: boolean; severity: Severity; threshold: number; clearMargin: number };
  notWorn: { enabled: boolean; severity: Severity; afterMs: number };
  tamper: { enabled: boolean; severity: Severity };
}

type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;

/**
 * A partial rule set (organisation or bed/resident level). Objects merge field by field,
 * arrays replace, `null` sets a nullable field to null, absent fields inherit.
 */
export type RuleSetOverride = { [K in keyof RuleSet]?: DeepPartial<RuleSet[K]> | null };
