import { groupIntoIncidents } from './incident-grouping';

const M = 60_000;

describe('groupIntoIncidents', () => {
  it('chains alarms of one bed raised within the gap, keeps beds apart', () => {
    const incidents = groupIntoIncidents([
      { id: 'fall', bedId: 'b1', raisedAt: 0, severity: 'critical' },
      { id: 'hr', bedId: 'b1', raisedAt: 8 * M, severity: 'major' },
      { id: 'spo2', bedId: 'b1', raisedAt: 17 * M, severity: 'major' },
      { id: 'other-bed', bedId: 'b2', raisedAt: 1 * M, severity: 'warning' },
      { id: 'later', bedId: 'b1', raisedAt: 40 * M, severity: 'minor' },
    ]);
    expect(incidents).toEqual([
      {
        id: 'fall',
        bedId: 'b1',
        alarmIds: ['fall', 'hr', 'spo2'],
        startedAt: 0,
        lastRaisedAt: 17 * M,
        severity: 'critical',
      },
      { id: 'other-bed', bedId: 'b2', alarmIds: ['other-bed'], startedAt: M, lastRaisedAt: M, severity: 'warning' },
      { id: 'later', bedId: 'b1', alarmIds: ['later'], startedAt: 40 * M, lastRaisedAt: 40 * M, severity: 'minor' },
    ]);
  });

  it.each`
    gapMs     | incidents
    ${10 * M} | ${1}
    ${M}      | ${2}
  `(
    'gap boundary is inclusive (gap $gapMs -> $incidents)',
    ({ gapMs, incidents }: { gapMs: number; incidents: number }) => {
      const alarms = [
        { id: 'a', bedId: 'b', raisedAt: 0, severity: 'minor' as const },
        { id: 'b', bedId: 'b', raisedAt: 10 * M, severity: 'minor' as const },
      ];
      expect(groupIntoIncidents(alarms, gapMs)).toHaveLength(incidents);
    },
  );

  it('does not depend on input order', () => {
    const alarms = [
      { id: 'b', bedId: 'x', raisedAt: 5 * M, severity: 'major' as const },
      { id: 'a', bedId: 'x', raisedAt: 0, severity: 'minor' as const },
    ];
    expect(groupIntoIncidents(alarms)[0]).toMatchObject({ id: 'a', alarmIds: ['a', 'b'], severity: 'major' });
  });
});
