import { isRuleKind } from '../model/rule-kind';
import { isSeverity } from '../model/severity';
import { isValidTimeZone } from '../time/zoned-time';
import { parseLocalTime } from '../time/night-window';
import { DEFAULT_RULE_SET } from './default-rule-set';
import { mergeRuleSets } from './merge-rule-set';
import type { RuleSet, RuleSetOverride, VitalBand } from './rule-set';

export interface RuleSetError {
  /** Dotted path of the offending field, e.g. `heartRate.critical.low`. */
  path: string;
  message: string;
}

export type RuleSetValidation = { ok: true; ruleSet: RuleSet; errors: [] } | { ok: false; errors: RuleSetError[] };

type Spec =
  | { t: 'number'; min?: number; max?: number; integer?: boolean }
  | { t: 'boolean' }
  | { t: 'severity' }
  | { t: 'localTime' }
  | { t: 'timeZone' }
  | { t: 'kinds' }
  | { t: 'literal'; value: number }
  | { t: 'object'; fields: Record<string, Spec> }
  | { t: 'nullable'; inner: Spec };

/** Longest duration a rule may hold, wait or window: a week. Beyond it a timer would never fire in practice, and past 2^31 ms Node's timers overflow. */
const MAX_DURATION_MS = 7 * 24 * 60 * 60 * 1000;
const ms: Spec = { t: 'number', min: 0, max: MAX_DURATION_MS, integer: true };
const bool: Spec = { t: 'boolean' };
const sev: Spec = { t: 'severity' };
const num: Spec = { t: 'number' };
const nullableNum: Spec = { t: 'nullable', inner: num };
const band: Spec = {
  t: 'nullable',
  inner: { t: 'object', fields: { low: nullableNum, high: nullableNum, forMs: ms } },
};
const vital: Spec = {
  t: 'object',
  fields: {
    enabled: bool,
    major: band,
    critical: band,
    clearMargin: { t: 'number', min: 0, max: 100 },
    clearForMs: ms,
    minSamples: { t: 'number', min: 1, max: 100, integer: true },
    maxStep: { t: 'nullable', inner: { t: 'number', min: 1, max: 300 } },
  },
};
const HOUR_MS = 3_600_000;
const percent: Spec = { t: 'number', min: 0, max: 100 };

const RULE_SET_SPEC: Spec = {
  t: 'object',
  fields: {
    version: { t: 'literal', value: 1 },
    timeZone: { t: 'timeZone' },
    suppression: { t: 'object', fields: { minSignalQuality: { t: 'number', min: 0, max: 100 }, warmupMs: ms } },
    eventTime: {
      t: 'object',
      fields: {
        gapFactor: { t: 'number', min: 1, max: 10 },
        minGapMs: { t: 'number', min: 1000, max: 10 * 60_000, integer: true },
        maxGapMs: { t: 'number', min: 1000, max: 10 * 60_000, integer: true },
        clockResetMs: { t: 'number', min: 60_000, max: 24 * HOUR_MS, integer: true },
      },
    },
    artefacts: {
      t: 'object',
      fields: {
        settleAfterInBedMs: { t: 'number', min: 0, max: 5 * 60_000, integer: true },
        jumpConfirmMs: { t: 'number', min: 0, max: 60_000, integer: true },
        spo2: { t: 'object', fields: { maxMovement: { t: 'nullable', inner: percent }, minSignalQuality: percent } },
      },
    },
    presence: { t: 'object', fields: { returnDebounceMs: ms } },
    maintenance: { t: 'object', fields: { exemptKinds: { t: 'kinds' } } },
    sos: { t: 'object', fields: { enabled: bool, severity: sev, repeatSeverity: sev } },
    fall: {
      t: 'object',
      fields: {
        enabled: bool,
        severity: sev,
        cancelWindowMs: ms,
        motionlessSeverity: sev,
        motionlessMaxMovement: { t: 'number', min: 0, max: 100 },
      },
    },
    bedExit: {
      t: 'object',
      fields: {
        enabled: bool,
        severity: sev,
        nightWindow: { t: 'object', fields: { start: { t: 'localTime' }, end: { t: 'localTime' } } },
        returnWithinMs: ms,
      },
    },
    prolongedAbsence: {
      t: 'object',
      fields: {
        enabled: bool,
        severity: sev,
        maxDurationMs: { t: 'number', min: 1, max: MAX_DURATION_MS, integer: true },
        returnBy: { t: 'nullable', inner: { t: 'localTime' } },
      },
    },
    heartRate: vital,
    respiration: vital,
    apnea: vital,
    spo2: vital,
    deviceOffline: {
      t: 'object',
      fields: {
        enabled: bool,
        severity: sev,
        silentAfterMs: { t: 'number', min: 1, max: MAX_DURATION_MS, integer: true },
        graceMs: { t: 'number', min: 0, max: HOUR_MS, integer: true },
        clearAfterMs: { t: 'number', min: 0, max: HOUR_MS, integer: true },
      },
    },
    lowBattery: {
      t: 'object',
      fields: {
        enabled: bool,
        severity: sev,
        threshold: { t: 'number', min: 0, max: 100 },
        clearMargin: { t: 'number', min: 0, max: 100 },
      },
    },
    notWorn: { t: 'object', fields: { enabled: bool, severity: sev, afterMs: ms } },
    tamper: { t: 'object', fields: { enabled: bool, severity: sev } },
  },
};

/** Checks a complete rule set (e.g. loaded from SQL) and returns every problem with its field path. */
export function validateRuleSet(value: unknown): RuleSetValidation {
  const errors: RuleSetError[] = [];
  check(RULE_SET_SPEC, value, '', errors);
  if (errors.length === 0) checkSemantics(value as RuleSet, errors);
  return errors.length === 0 ? { ok: true, ruleSet: value as RuleSet, errors: [] } : { ok: false, errors };
}

/**
 * Validates overrides in context: layers them onto `base` (defaults if omitted) and validates the result,
 * so an API can reject a bad bed override before storing it. Paths are those of the merged rule set.
 */
export function resolveRuleSet(
  overrides: ReadonlyArray<RuleSetOverride | null | undefined>,
  base: RuleSet = DEFAULT_RULE_SET,
): RuleSetValidation {
  return validateRuleSet(mergeRuleSets(base, ...overrides));
}

function check(spec: Spec, value: unknown, path: string, errors: RuleSetError[]): void {
  const fail = (message: string) => errors.push({ path: path || '(root)', message });
  switch (spec.t) {
    case 'nullable':
      if (value !== null) check(spec.inner, value, path, errors);
      return;
    case 'literal':
      if (value !== spec.value) fail(`must be ${spec.value}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be a boolean');
      return;
    case 'severity':
      if (!isSeverity(value)) fail('must be one of critical, major, minor, warning');
      return;
    case 'localTime':
      if (typeof value !== 'string' || parseLocalTime(value) === null)
        fail('must be a local time "HH:MM" (00:00-23:59)');
      return;
    case 'timeZone':
      if (typeof value !== 'string' || !isValidTimeZone(value)) fail('must be an IANA time zone, e.g. Asia/Shanghai');
      return;
    case 'kinds':
      if (!Array.isArray(value)) fail('must be an array of rule kinds');
      else
        value.forEach(
          (k, i) =>
            isRuleKind(k) || errors.push({ path: `${path}[${i}]`, message: `unknown rule kind ${JSON.stringify(k)}` }),
        );
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return void fail('must be a finite number');
      if (spec.integer && !Number.isInteger(value)) fail('must be an integer (milliseconds)');
      if (spec.min !== undefined && value < spec.min) fail(`must be >= ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) fail(`must be <= ${spec.max}`);
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void fail('must be an object');
      const record = value as Record<string, unknown>;
      for (const [key, fieldSpec] of Object.entries(spec.fields)) {
        const fieldPath = path ? `${path}.${key}` : key;
        if (!(key in record) || record[key] === undefined) errors.push({ path: fieldPath, message: 'is required' });
        else check(fieldSpec, record[key], fieldPath, errors);
      }
      for (const key of Object.keys(record)) {
        if (!(key in spec.fields))
          errors.push({ path: path ? `${path}.${key}` : key, message: 'is not a known field' });
      }
      return;
    }
  }
}

/** Cross-field rules that a per-field schema cannot express. */
function checkSemantics(rs: RuleSet, errors: RuleSetError[]): void {
  for (const section of ['heartRate', 'respiration', 'apnea', 'spo2'] as const) {
    const rule = rs[section];
    if (rule.major === null && rule.critical === null)
      errors.push({ path: section, message: 'needs a major or a critical band' });
    for (const tier of ['major', 'critical'] as const) checkBand(rule[tier], `${section}.${tier}`, errors);
    const { major, critical } = rule;
    const widest = major ?? critical;
    if (
      widest &&
      widest.low !== null &&
      widest.high !== null &&
      widest.low + rule.clearMargin > widest.high - rule.clearMargin
    ) {
      // Nothing could ever count as recovered: the alarm would never clear.
      errors.push({ path: `${section}.clearMargin`, message: 'leaves no normal range between the band limits' });
    }
    if (major && critical) {
      // A critical band inside the major band would make the critical tier fire on milder readings.
      if (critical.low !== null && (major.low === null || critical.low > major.low)) {
        errors.push({
          path: `${section}.critical.low`,
          message: 'must be <= major.low (critical is the more extreme band)',
        });
      }
      if (critical.high !== null && (major.high === null || critical.high < major.high)) {
        errors.push({
          path: `${section}.critical.high`,
          message: 'must be >= major.high (critical is the more extreme band)',
        });
      }
    }
  }
  if (rs.eventTime.minGapMs > rs.eventTime.maxGapMs)
    errors.push({ path: 'eventTime.minGapMs', message: 'must be <= maxGapMs' });
  if (rs.eventTime.clockResetMs < rs.eventTime.maxGapMs)
    errors.push({ path: 'eventTime.clockResetMs', message: 'must be >= maxGapMs' });
  const { start, end } = rs.bedExit.nightWindow;
  if (start === end) errors.push({ path: 'bedExit.nightWindow.end', message: 'must differ from start' });
}

function checkBand(band: VitalBand | null, path: string, errors: RuleSetError[]): void {
  if (!band) return;
  if (band.low === null && band.high === null) errors.push({ path, message: 'needs low or high' });
  if (band.low !== null && band.high !== null && band.low >= band.high)
    errors.push({ path: `${path}.low`, message: 'must be < high' });
}
