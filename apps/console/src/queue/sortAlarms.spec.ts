import { anAlarm, at } from '../api/alarm.fixture';
import { sortAlarms } from './sortAlarms';

const alarm = anAlarm;

describe('queue order', () => {
  it('parks held alarms last and puts one back from hold above its older peers', () => {
    const list = [
      alarm('old-major', { raisedAt: at(1000) }),
      alarm('held-critical', { severity: 'critical', heldUntil: '2026-12-04T23:00:00Z', raisedAt: at(500) }),
      alarm('returned-major', { raisedAt: at(3000), escalationLevel: 1 }),
      alarm('critical', { severity: 'critical', raisedAt: at(4000) }),
    ];
    expect(sortAlarms(list).map((a) => a.id)).toEqual(['critical', 'returned-major', 'old-major', 'held-critical']);
  });
});
