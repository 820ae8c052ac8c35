import { anAlarm, at } from '../api/alarm.fixture';
import { filterAlarms, NO_FILTER } from './filterAlarms';
import { groupByIncident } from './groupByIncident';

const alarm = anAlarm;

describe('queue order and filters', () => {
  it('keeps one incident together, ranked by its most urgent alarm', () => {
    const list = [
      alarm('sos-1', { severity: 'critical', incidentId: 'i1', raisedAt: at(1000) }),
      alarm('sos-2', { severity: 'critical', incidentId: 'i2', raisedAt: at(2000) }),
      alarm('fall-1', { kind: 'fall', severity: 'major', incidentId: 'i1', raisedAt: at(3000) }),
      alarm('hr-3', { kind: 'heart_rate', severity: 'major', incidentId: 'i3', raisedAt: at(500) }),
    ];
    const entries = groupByIncident(list);
    expect(entries.map((e) => e.alarm.id)).toEqual(['sos-1', 'fall-1', 'sos-2', 'hr-3']);
    expect(entries.map((e) => [e.incidentSize, e.incidentLead])).toEqual([
      [2, true],
      [2, false],
      [1, true],
      [1, true],
    ]);
  });

  it('filters by severity, kind and state and searches who and where, every word', () => {
    const list = [
      alarm('a', { residentName: '王秀英', householdName: '王家', address: '和平区 幸福路 3 号', bedLabel: '主卧床' }),
      alarm('b', {
        residentName: '李建国',
        householdName: '李家',
        address: '河西区 友谊路 8 号',
        bedLabel: '次卧床',
        severity: 'critical',
        state: 'acknowledged',
      }),
    ];
    expect(filterAlarms(list, { ...NO_FILTER, search: '幸福路 王' }).map((a) => a.id)).toEqual(['a']);
    expect(filterAlarms(list, { ...NO_FILTER, search: '次卧' }).map((a) => a.id)).toEqual(['b']);
    expect(filterAlarms(list, { ...NO_FILTER, severity: 'critical' }).map((a) => a.id)).toEqual(['b']);
    expect(filterAlarms(list, { ...NO_FILTER, state: 'raised' }).map((a) => a.id)).toEqual(['a']);
    expect(filterAlarms(list, { ...NO_FILTER, kind: 'fall' })).toEqual([]);
  });
});
