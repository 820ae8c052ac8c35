import { Logger } from '@nestjs/common';
import type { Clock } from '@bedside/common';
import type { EnvDto } from '@bedside/config';
import type { BusMessage, BusMeta, ClusterBus, MessageHandler } from '@bedside/cluster';
import type { DatabaseHealth } from '@bedside/database';
import { IngestEvents, type CallForHelp } from '@bedside/ingest';
import type { AlarmStreamEvent } from '../model/alarm-record';
import type { AlarmContextRepository } from '../persistence/alarm-context.repository';
import { AlarmStream } from '../runtime/alarm-stream';
import { BedLabels } from './bed-labels';
import type { ProvisionalNotice } from './provisional-alarm';
import { ProvisionalAlarms } from './provisional-alarms.service';

const T = Date.UTC(2026, 0, 1, 8);
const call: CallForHelp = {
  organisationId: 'org-a',
  deviceId: 'btn-1',
  kind: 'button',
  bedId: 'bed-1',
  eventId: 'e1',
  type: 'button.pressed',
  ts: T - 50,
  receivedAt: T,
};

function alarmEvent(id: number, bedId: string, kind: string, at: number, type = 'alarm.raised'): AlarmStreamEvent {
  return {
    id,
    type,
    alarm: { id: `alarm-${id}`, bedId, kind, organisationId: 'org-a' },
    at: new Date(at).toISOString(),
  } as unknown as AlarmStreamEvent;
}

function setUp(nodeId?: string) {
  let now = T;
  const clock: Clock = { now: () => now };
  const ingest = new IngestEvents();
  const labels = new BedLabels();
  labels.remember('bed-1', { bedLabel: '3-2', residentName: '王秀英', householdName: '王家', address: '1 Road' });
  const stream = new AlarmStream();
  const published: BusMessage[] = [];
  let busHandler: MessageHandler | null = null;
  const bus = nodeId
    ? ({
        nodeId,
        publishToAll: (m: BusMessage) => published.push(m) > 0,
        subscribeAll: (h: MessageHandler) => {
          busHandler = h;
          return () => undefined;
        },
      } as unknown as ClusterBus)
    : undefined;
  const service = new ProvisionalAlarms(
    ingest,
    labels,
    { forBeds: () => Promise.resolve(new Map()) } as unknown as AlarmContextRepository,
    { down: false, unavailable: () => false } as unknown as DatabaseHealth,
    clock,
    { CLUSTER_NODE_ID: nodeId } as EnvDto,
    stream,
    bus,
  );
  service.onApplicationBootstrap();
  const notices: ProvisionalNotice[] = [];
  service.notices$.subscribe((n) => notices.push(n));
  return {
    ingest,
    stream,
    service,
    notices,
    published,
    fromBus: (m: BusMessage, meta: BusMeta) => void busHandler!(m, meta),
    advance: (ms: number) => (now += ms),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ProvisionalAlarms', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('shows a call once across resends, with who it is for', () => {
    const h = setUp();
    h.ingest.unstoredCall$.next(call);
    h.ingest.unstoredCall$.next({ ...call, receivedAt: T + 2000 });
    expect(h.notices).toHaveLength(1);
    expect(h.notices[0]).toMatchObject({
      type: 'provisional.alarm',
      notice: { key: 'btn-1/e1', bedId: 'bed-1', residentName: '王秀英', bedLabel: '3-2', node: null },
    });
    expect(h.service.openFor('org-a')).toHaveLength(1);
    expect(h.service.openFor('org-b')).toEqual([]);
  });

  it('says it is stored after the alarm the rules wrote for it, naming that alarm', async () => {
    const h = setUp();
    h.ingest.unstoredCall$.next(call);
    h.advance(5000);
    h.ingest.storedCall$.next(call);
    expect(h.service.openFor(null)).toEqual([]);
    h.stream.emit([alarmEvent(1, 'bed-2', 'sos', T + 5100)]); // another bed
    h.stream.emit([alarmEvent(2, 'bed-1', 'fall', T + 5100)]); // another kind
    h.stream.emit([alarmEvent(3, 'bed-1', 'sos', T + 5100, 'alarm.escalated')]); // not the rules' answer
    await tick();
    expect(h.notices.map((n) => n.type)).toEqual(['provisional.alarm']);
    h.stream.emit([alarmEvent(4, 'bed-1', 'sos', T + 5100, 'alarm.updated')]);
    await tick();
    expect(h.notices[1]).toMatchObject({ type: 'provisional.stored', notice: { key: 'btn-1/e1', alarmId: 'alarm-4' } });
  });

  it('matches an alarm event that came before the stored notice, but not one older than the call', () => {
    const h = setUp();
    h.stream.emit([alarmEvent(1, 'bed-1', 'sos', T - 1000)]);
    h.ingest.unstoredCall$.next(call);
    h.stream.emit([alarmEvent(2, 'bed-1', 'sos', T + 10)]);
    h.ingest.storedCall$.next(call);
    expect(h.notices[1]).toMatchObject({ type: 'provisional.stored', notice: { alarmId: 'alarm-2' } });
  });

  it('says it is stored without an alarm when none comes in time', () => {
    jest.useFakeTimers();
    try {
      const h = setUp();
      h.ingest.unstoredCall$.next(call);
      h.ingest.storedCall$.next(call);
      jest.advanceTimersByTime(30_000);
      expect(h.notices[1]).toMatchObject({ type: 'provisional.stored', notice: { alarmId: null } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('says nothing of a call stored before it was ever shown', () => {
    const h = setUp();
    h.ingest.storedCall$.next(call);
    h.ingest.unstoredCall$.next(call); // a late resend after it was stored
    expect(h.notices).toEqual([]);
  });

  it('clustered: publishes to every node, takes other nodes’ calls, ignores its own echo', () => {
    const h = setUp('hub-a');
    h.ingest.unstoredCall$.next(call);
    expect(h.published).toMatchObject([{ kind: 'provisional.alarm', notice: { key: 'btn-1/e1', node: 'hub-a' } }]);
    h.fromBus(h.published[0], { from: 'hub-a', sentAt: T });
    expect(h.notices).toHaveLength(1);
    const remote = { ...(h.published[0].notice as object), key: 'btn-9/e7', eventId: 'e7', node: 'hub-b' };
    h.fromBus({ kind: 'provisional.alarm', notice: remote }, { from: 'hub-b', sentAt: T });
    h.fromBus({ kind: 'provisional.alarm', notice: remote }, { from: 'hub-b', sentAt: T });
    expect(h.notices.map((n) => n.notice.key)).toEqual(['btn-1/e1', 'btn-9/e7']);
    h.ingest.storedCall$.next(call);
    expect(h.published[1]).toMatchObject({ kind: 'provisional.stored', notice: { key: 'btn-1/e1', alarmId: null } });
  });
});
