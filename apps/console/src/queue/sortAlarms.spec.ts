import type { Alarm } from '../api/types';
import { sortAlarms } from './sortAlarms';

const alarm = (id: string, over: Partial<Alarm>): Alarm => ({
  id,
  bedId: 'b',
  kind: 'sos',
  severity: 'major',
  state: 'raised',
  cleared: false,
  repeatCount: 0,
  raisedAt: 0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  outcome: null,
  escalationLevel: 0,
  ...over,
});

describe('queue order', () => {
  it('parks held alarms last and puts one back from hold above its older peers', () => {
    const list = [
      alarm('old-major', { raisedAt: 1000 }),
      alarm('held-critical', { severity: 'critical', heldUntil: '2026-12-04T23:00:00Z', raisedAt: 500 }),
      alarm('returned-major', { raisedAt: 3000, escalationLevel: 1 }),
      alarm('critical', { severity: 'critical', raisedAt: 4000 }),
    ];
    expect(sortAlarms(list).map((a) => a.id)).toEqual(['critical', 'returned-major', 'old-major', 'held-critical']);
  });
});
