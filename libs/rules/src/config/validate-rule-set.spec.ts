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
    [
      'unknown field (typo)',
      { heartRate: { clearMarginn: 3 } as never },
      'heartRate.clearMarginn',
      /not a known field/,
    ],
    ['unknown section', { heartrate: {} } as never, 'heartrate', /not a known field/],
    ['critical inside major', { heartRate: { critical: { high: 110 } } }, 'heartRate.critical.high', /major.high/],
    ['low >= high', { respiration: { major: { low: 30 } } }, 'respiration.major.low', /< high/],
    ['band without bounds', { spo2: { major: { low: null } } }, 'spo2.major', /low or high/],
    ['clear margin too wide', { respiration: { clearMargin: 10 } }, 'respiration.clearMargin', /no normal range/],
    ['no bands', { apnea: { critical: null } }, 'apnea', /major or a critical/],
    [
      'bad exempt kind',
      { maintenance: { exemptKinds: ['sos', 'fire' as never] } },
      'maintenance.exemptKinds[1]',
      /unknown rule kind/,
    ],
    ['battery above 100', { lowBattery: { threshold: 101 } }, 'lowBattery.threshold', /<= 100/],
    ['wrong version', { version: 2 as never }, 'version', /must be 1/],
    ['missing field', { tamper: { severity: undefined, enabled: true } }, 'tamper.severity', /required/],
    ['gap factor below 1', { eventTime: { gapFactor: 0.5 } }, 'eventTime.gapFactor', />= 1/],
    ['gap floor above the cap', { eventTime: { minGapMs: 90_000 } }, 'eventTime.minGapMs', /<= maxGapMs/],
    ['gap cap over 10 min', { eventTime: { maxGapMs: 3_600_000 } }, 'eventTime.maxGapMs', /<= 600000/],
    [
      'clock reset inside the gap',
      { eventTime: { clockResetMs: 60_000, maxGapMs: 120_000 } },
      'eventTime.clockResetMs',
      />= maxGapMs/,
    ],
    [
      'settling over 5 min',
      { artefacts: { settleAfterInBedMs: 600_000 } },
      'artefacts.settleAfterInBedMs',
      /<= 300000/,
    ],
    ['jump confirm over 1 min', { artefacts: { jumpConfirmMs: 120_000 } }, 'artefacts.jumpConfirmMs', /<= 60000/],
    ['SpO2 movement above 100', { artefacts: { spo2: { maxMovement: 150 } } }, 'artefacts.spo2.maxMovement', /<= 100/],
    ['zero min samples', { spo2: { minSamples: 0 } }, 'spo2.minSamples', />= 1/],
    ['zero max step', { heartRate: { maxStep: 0 } }, 'heartRate.maxStep', />= 1/],
    ['negative offline grace', { deviceOffline: { graceMs: -1 } }, 'deviceOffline.graceMs', />= 0/],
    [
      'offline clear over an hour',
      { deviceOffline: { clearAfterMs: 7_200_000 } },
      'deviceOffline.clearAfterMs',
      /<= 3600000/,
    ],
  ])('%s', (_name, override, path, message) => {
    let candidate = mergeRuleSets(DEFAULT_RULE_SET, override);
    if (_name === 'missing field') candidate = { ...candidate, tamper: { enabled: true } as never };
    const result = validateRuleSet(candidate);
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every error, not just the first', () => {
    const result = resolveRuleSet([
      { timeZone: 'Nowhere', heartRate: { clearForMs: -5 }, sos: { enabled: 'yes' as never } },
    ]);
    expect(result.errors.map((e) => e.path)).toEqual(['timeZone', 'sos.enabled', 'heartRate.clearForMs']);
  });

  it('accepts the artefact rules switched off', () => {
    const result = resolveRuleSet([
      {
        artefacts: { settleAfterInBedMs: 0, jumpConfirmMs: 0, spo2: { maxMovement: null, minSignalQuality: 0 } },
        heartRate: { maxStep: null },
        spo2: { minSamples: 1 },
        deviceOffline: { graceMs: 0, clearAfterMs: 0 },
      },
    ]);
    expect(result.errors).toEqual([]);
  });

  it('rejects non-objects at the root', () => {
    expect(validateRuleSet(null).errors).toEqual([{ path: '(root)', message: 'must be an object' }]);
  });

  it('resolveRuleSet layers organisation and bed overrides onto the defaults', () => {
    const result = resolveRuleSet([
      { timeZone: 'Europe/London', heartRate: { major: { high: 110 } } },
      { heartRate: { major: { forMs: 60_000 } } },
    ]);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.ruleSet.timeZone).toBe('Europe/London');
      expect(result.ruleSet.heartRate.major).toEqual({ low: 45, high: 110, forMs: 60_000 });
    }
  });
});
