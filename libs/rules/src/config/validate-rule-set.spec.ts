import { DEFAULT_RULE_SET } from './default-rule-set';
import { mergeRuleSets } from './merge-rule-set';
import type { RuleSetOverride } from './rule-set';
import { resolveRuleSet, validateRuleSet } from './validate-rule-set';

describe('validateRuleSet', () => {
  it('accepts the defaults, also after a JSON round trip', () => {
    expect(validateRuleSet(DEFAULT_RULE_SET)).toEqual({ ok: true, ruleSet: DEFAULT_RULE_SET, errors: [] });
    expect(validateRuleSet(JSON.parse(JSON.stringify(DEFAULT_RULE_SET))).ok).toBe(true);
  });

  it.each<[string, RuleSetOverride, string, RegExp]>([
    ['bad time zone', { timeZone: 'Mars/Olympus' }, 'timeZone', /IANA/],
    ['bad local time', { bedExit: { nightWindow: { start: '24:00' } } }, 'bedExit.nightWindow.start', /HH:MM/],
    ['empty night window', { bedExit: { nightWindow: { start: '06:00' } } }, 'bedExit.nightWindow.end', /differ/],
    ['negative hold', { heartRate: { major: { forMs: -1 } } }, 'heartRate.major.forMs', />= 0/],
    ['fractional ms', { fall: { cancelWindowMs: 1.5 } }, 'fall.cancelWindowMs', /integer/],
    ['string number', { spo2: { major: { low: '91' as unknown as number } } }, 'spo2.major.low', /finite number/],
    ['unknown severity', { sos: { severity: 'urgent' as never } }, 'sos.severity', /critical, major/],
    ['unknown field (typo)', { heartRate: { clearMarginn: 3 } as never }, 'heartRate.clearMarginn', /not a known field/],
    ['unknown section', { heartrate: {} } as never, 'heartrate', /not a known field/],
    ['critical inside major', { heartRate: { critical: { high: 110 } } }, 'heartRate.critical.high', /major.high/],
    ['low >= high', { respiration: { major: { low: 30 } } }, 'respiration.major.low', /< high/],
    ['band without bounds', { spo2: { major: { low: null } } }, 'spo2.major', /low or high/],
    ['clear margin too wide', { respiration: { clearMargin: 10 } }, 'respiration.clearMargin', /no normal range/],
    ['no bands', { apnea: { critical: null } }, 'apnea', /major or a critical/],
    ['bad exempt kind', { maintenance: { exemptKinds: ['sos', 'fire' as never] } }, 'maintenance.exemptKinds[1]', /unknown rule kind/],
    ['battery above 100', { lowBattery: { threshold: 101 } }, 'lowBattery.threshold', /<= 100/],
    ['wrong version', { version: 2 as never }, 'version', /must be 1/],
    ['missing field', { tamper: { severity: undefined, enabled: true } }, 'tamper.severity', /required/],
  ])('%s', (_name, override, path, message) => {
    let candidate = mergeRuleSets(DEFAULT_RULE_SET, override);
    if (_name === 'missing field') candidate = { ...candidate, tamper: { enabled: true } as never };
    const result = validateRuleSet(candidate);
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every error, not just the first', () => {
    const result = resolveRuleSet([{ timeZone: 'Nowhere', heartRate: { clearForMs: -5 }, sos: { enabled: 'yes' as never } }]);
    expect(result.errors.map((e) => e.path)).toEqual(['timeZone', 'sos.enabled', 'heartRate.clearForMs']);
  });

  it('rejects non-objects at the root', () => {
    expect(validateRuleSet(null).errors).toEqual([{ path: '(root)', message: 'must be an object' }]);
  });

  it('resolveRuleSet layers organisation and bed overrides onto the defaults', () => {
    const result = resolveRuleSet([{ timeZone: 'Europe/London', heartRate: { major: { high: 110 } } }, { heartRate: { major: { forMs: 60_000 } } }]);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.ruleSet.timeZone).toBe('Europe/London');
      expect(result.ruleSet.heartRate.major).toEqual({ low: 45, high: 110, forMs: 60_000 });
    }
  });
});
