import * as rules from '@bedside/rules';

describe('@bedside/rules public API', () => {
  it('exposes the pure API through the barrel', () => {
    for (const name of [
      'evaluate',
      'evaluateWithClock',
      'nextDeadline',
      'initialBedState',
      'DEFAULT_RULE_SET',
      'mergeRuleSets',
      'validateRuleSet',
      'resolveRuleSet',
      'backtest',
      'raiseAlarm',
      'acknowledgeAlarm',
      'resolveAlarm',
      'escalateIfDue',
      'autoResolveIfDue',
      'applyRuleAction',
      'holdAlarm',
      'endHold',
      'stopHoldEscalation',
      'returnFromHoldIfDue',
      'groupIntoIncidents',
      'AlarmDomainError',
      'ManualClock',
      'isInNightWindow',
      'vitalSuppression',
      'episodeKey',
    ]) {
      expect(rules).toHaveProperty(name);
    }
    const bed = rules.initialBedState('bed-9');
    const { actions } = rules.evaluate(
      rules.DEFAULT_RULE_SET,
      bed,
      { type: 'event', deviceId: 'b1', event: 'button.pressed' },
      1_000,
    );
    expect(actions).toEqual([
      expect.objectContaining({ type: 'raise', key: rules.episodeKey('bed-9', 'sos', null, 1_000) }),
    ]);
  });
});
