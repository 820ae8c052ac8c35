import { DEFAULT_RULE_SET } from './default-rule-set';
import { mergeRuleSets } from './merge-rule-set';

describe('mergeRuleSets', () => {
  it('applies defaults <- organisation <- bed, field by field', () => {
    const merged = mergeRuleSets(
      DEFAULT_RULE_SET,
      { timeZone: 'America/New_York', heartRate: { major: { high: 110 } }, bedExit: { returnWithinMs: 600_000 } },
      { heartRate: { major: { high: 130 }, clearMargin: 3 } },
    );
    expect(merged.timeZone).toBe('America/New_York');
    expect(merged.heartRate).toEqual({
      ...DEFAULT_RULE_SET.heartRate,
      major: { low: 45, high: 130, forMs: 120_000 },
      clearMargin: 3,
    });
    expect(merged.bedExit).toEqual({ ...DEFAULT_RULE_SET.bedExit, returnWithinMs: 600_000 });
    expect(merged.spo2).toEqual(DEFAULT_RULE_SET.spo2);
  });

  it('null sets a nullable field, arrays replace, undefined inherits', () => {
    const merged = mergeRuleSets(
      DEFAULT_RULE_SET,
      { heartRate: { critical: null }, maintenance: { exemptKinds: ['sos', 'fall'] } },
      { heartRate: { critical: undefined }, maintenance: { exemptKinds: ['sos'] } },
    );
    expect(merged.heartRate.critical).toBeNull();
    expect(merged.maintenance.exemptKinds).toEqual(['sos']);
  });

  it('fills a band that was null in the base from a complete override', () => {
    const merged = mergeRuleSets(DEFAULT_RULE_SET, { respiration: { critical: { low: 5, high: 35, forMs: 30_000 } } });
    expect(merged.respiration.critical).toEqual({ low: 5, high: 35, forMs: 30_000 });
  });

  it('never changes the defaults, which are frozen', () => {
    const before = JSON.stringify(DEFAULT_RULE_SET);
    const merged = mergeRuleSets(DEFAULT_RULE_SET, { heartRate: { major: { high: 99 } } });
    merged.sos.enabled = false;
    expect(JSON.stringify(DEFAULT_RULE_SET)).toBe(before);
    expect(Object.isFrozen(DEFAULT_RULE_SET.heartRate.major)).toBe(true);
  });

  it('ignores null and undefined override layers', () => {
    expect(mergeRuleSets(DEFAULT_RULE_SET, null, undefined)).toEqual(DEFAULT_RULE_SET);
  });
});
