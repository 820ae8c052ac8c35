import { ProvisionalAlarmBoard } from './provisional-alarm-board';
import { provisionalKey, type ProvisionalAlarm } from './provisional-alarm';

const T = Date.UTC(2026, 0, 1);
const limits = { expireMs: 60_000, storedMemoryMs: 30_000, maxOpen: 3 };

function call(eventId: string, organisationId = 'org-a', at = T): ProvisionalAlarm {
  return {
    key: provisionalKey('dev-1', eventId),
    organisationId,
    deviceId: 'dev-1',
    deviceKind: 'button',
    bedId: 'bed-1',
    eventId,
    eventType: 'button.pressed',
    deviceTs: new Date(at).toISOString(),
    receivedAt: new Date(at).toISOString(),
    node: null,
    expiresAt: new Date(at + limits.expireMs).toISOString(),
    bedLabel: '1',
    residentName: '王秀英',
    householdName: null,
    address: null,
  };
}

describe('ProvisionalAlarmBoard', () => {
  it('takes a call once across resends, and again only as another event', () => {
    const board = new ProvisionalAlarmBoard(limits);
    expect(board.add(call('e1'), T)).toBe(true);
    expect(board.isNew(call('e1').key, T + 1000)).toBe(false);
    expect(board.add(call('e1'), T + 2000)).toBe(false);
    expect(board.add(call('e2'), T + 2000)).toBe(true);
    expect(board.openFor(null, T + 2000).map((a) => a.eventId)).toEqual(['e1', 'e2']);
  });

  it('shows an organisation only its own calls', () => {
    const board = new ProvisionalAlarmBoard(limits);
    board.add(call('e1', 'org-a'), T);
    board.add(call('e2', 'org-b'), T);
    expect(board.openFor('org-a', T).map((a) => a.eventId)).toEqual(['e1']);
    expect(board.openFor('org-b', T).map((a) => a.eventId)).toEqual(['e2']);
    expect(board.openFor('org-c', T)).toEqual([]);
  });

  it('closes a call when it is stored and does not show a later resend of it again', () => {
    const board = new ProvisionalAlarmBoard(limits);
    board.add(call('e1'), T);
    expect(board.markStored(call('e1').key, T + 5000)?.eventId).toBe('e1');
    expect(board.openFor(null, T + 5000)).toEqual([]);
    expect(board.markStored(call('e1').key, T + 6000)).toBeUndefined(); // nothing left to announce
    expect(board.add(call('e1'), T + 6000 + 20_000)).toBe(false); // still remembered as stored
    expect(board.add(call('e1'), T + 6000 + 30_000)).toBe(true); // forgotten after the memory
  });

  it('remembers a call stored without ever being open, so its late resend is not shown', () => {
    const board = new ProvisionalAlarmBoard(limits);
    expect(board.markStored(call('e9').key, T)).toBeUndefined();
    expect(board.add(call('e9'), T + 1000)).toBe(false);
  });

  it('drops a call nobody stored after the expiry bound', () => {
    const board = new ProvisionalAlarmBoard(limits);
    board.add(call('e1'), T);
    expect(board.openFor(null, T + 59_999)).toHaveLength(1);
    expect(board.openFor(null, T + 60_000)).toEqual([]);
    expect(board.size).toBe(0);
  });

  it('keeps an earlier expiry sent by the node that heard the call', () => {
    const board = new ProvisionalAlarmBoard(limits);
    const remote = { ...call('e1'), expiresAt: new Date(T + 10_000).toISOString() };
    board.add(remote, T);
    expect(board.openFor(null, T + 9_999)).toHaveLength(1);
    expect(board.openFor(null, T + 10_000)).toEqual([]);
  });

  it('holds at most maxOpen calls, dropping the oldest', () => {
    const board = new ProvisionalAlarmBoard(limits);
    for (const id of ['e1', 'e2', 'e3', 'e4']) board.add(call(id), T);
    expect(board.openFor(null, T).map((a) => a.eventId)).toEqual(['e2', 'e3', 'e4']);
  });
});
