import { DEFAULT_RULE_SET, type RuleSet } from '@bedside/rules';
import { SharedRuleSets } from './shared-rule-sets';

const copy = (tz: string): RuleSet => ({ ...structuredClone(DEFAULT_RULE_SET), timeZone: tz });

describe('SharedRuleSets', () => {
  it('returns one frozen object for equal rule sets and distinct ones for different rules', () => {
    const shared = new SharedRuleSets();
    const a = shared.share(copy('Asia/Shanghai'));
    const b = shared.share(copy('Asia/Shanghai'));
    const c = shared.share(copy('Europe/London'));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c.timeZone).toBe('Europe/London');
    expect(Object.isFrozen(a.heartRate)).toBe(true);
  });
});
