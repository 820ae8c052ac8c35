import type { RuleSet, RuleSetOverride } from './rule-set';

/**
 * Layers overrides onto a base: defaults <- organisation <- bed/resident. Objects merge field by field,
 * arrays replace, `null` sets null, `undefined` inherits. Unknown keys are kept so validation can
 * report them (a typo must not silently fall back to the default).
 */
export function mergeRuleSets(base: RuleSet, ...overrides: ReadonlyArray<RuleSetOverride | null | undefined>): RuleSet {
  let result: unknown = clone(base);
  for (const override of overrides) {
    if (override) result = mergeValue(result, override);
  }
  return result as RuleSet;
}

function mergeValue(base: unknown, over: unknown): unknown {
  if (over === undefined) return clone(base);
  if (isPlainObject(over) && isPlainObject(base)) {
    const out: Record<string, unknown> = clone(base);
    for (const [key, value] of Object.entries(over)) out[key] = mergeValue(base[key], value);
    return out;
  }
  return clone(over);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
