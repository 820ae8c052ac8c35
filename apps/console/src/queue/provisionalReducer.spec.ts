import type { ProvisionalAlarm } from '../api/types';
import { NO_PROVISIONAL, provisionalReducer } from './provisionalReducer';

const T = Date.UTC(2026, 0, 1);
const call = (eventId: string, expiresAt = T + 60_000): ProvisionalAlarm => ({
  key: `dev/${eventId}`,
  organisationId: 'org',
  deviceId: 'dev',
  deviceKind: 'button',
  bedId: 'bed',
  eventId,
  eventType: 'button.pressed',
  deviceTs: new Date(T).toISOString(),
  receivedAt: new Date(T).toISOString(),
  node: null,
  expiresAt: new Date(expiresAt).toISOString(),
  bedLabel: '1',
  residentName: '王秀英',
  householdName: null,
  address: null,
});

describe('provisionalReducer', () => {
  it('shows a call once, drops it when stored, and ignores a notice of it that comes late', () => {
    let s = provisionalReducer(NO_PROVISIONAL, { type: 'heard', call: call('e1') });
    s = provisionalReducer(s, { type: 'heard', call: call('e1') });
    expect([...s.open.keys()]).toEqual(['dev/e1']);
    s = provisionalReducer(s, { type: 'stored', key: 'dev/e1' });
    expect(s.open.size).toBe(0);
    s = provisionalReducer(s, { type: 'heard', call: call('e1') });
    expect(s.open.size).toBe(0);
  });

  it('forgets open calls on reconnect (the hub resends those still open) and drops expired ones', () => {
    let s = provisionalReducer(NO_PROVISIONAL, { type: 'heard', call: call('e1', T + 1000) });
    s = provisionalReducer(s, { type: 'heard', call: call('e2', T + 5000) });
    s = provisionalReducer(s, { type: 'expire', now: T + 1000 });
    expect([...s.open.keys()]).toEqual(['dev/e2']);
    s = provisionalReducer(s, { type: 'reconnected' });
    expect(s.open.size).toBe(0);
  });
});
