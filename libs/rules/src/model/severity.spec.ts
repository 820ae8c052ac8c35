import { compareSeverity, maxSeverity, SEVERITIES, type Severity } from './severity';

describe('severity', () => {
  it('orders critical > major > minor > warning', () => {
    const shuffled: Severity[] = ['minor', 'critical', 'warning', 'major'];
    expect([...shuffled].sort((a, b) => compareSeverity(b, a))).toEqual([...SEVERITIES]);
    expect(maxSeverity('major', 'critical')).toBe('critical');
    expect(maxSeverity('minor', 'warning')).toBe('minor');
  });
});
