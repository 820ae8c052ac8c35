import { Subject } from 'rxjs';
import type { BrokerService, DeliveryOutcome, DeviceSession, DeviceDownlinks } from '@bedside/broker';
import { Clock } from '@bedside/common';
import type { AlarmAckOutboxRepository, PendingAlarmAck } from './alarm-ack-outbox.repository';
import { AlarmAckOutbox } from './alarm-ack-outbox.service';

class FixedClock extends Clock {
  t = 1_800_000_000_000;
  now(): number {
    return this.t;
  }
}

/** The outbox over an in-memory table, a device that answers each ack with `outcome`, and the stored alarms `journal`. */
function harness(outcome: () => DeliveryOutcome) {
  const rows = new Map<string, PendingAlarmAck>();
  const journal = new Map<string, string>();
  const sent: { deviceId: string; eventId: string; alarmId?: string }[] = [];
  const key = (d: string, e: string) => `${d}/${e}`;
  const repo = {
    recordAlarm: (deviceId: string, eventId: string, alarmId: string) => {
      const r = rows.get(key(deviceId, eventId));
      rows.set(key(deviceId, eventId), { deviceId, eventId, alarmId, receivedAt: r?.receivedAt ?? 0 });
      return Promise.resolve();
    },
    get: (d: string, e: string) => Promise.resolve(rows.get(key(d, e)) ?? null),
    forDevice: (d: string) => Promise.resolve([...rows.values()].filter((r) => r.deviceId === d)),
    unresolved: (before: number) =>
      Promise.resolve([...rows.values()].filter((r) => r.alarmId === null && r.receivedAt < before)),
    alarmOf: (d: string, e: string) => Promise.resolve(journal.get(key(d, e)) ?? null),
    setAlarm: (d: string, e: string, alarmId: string) => {
      const r = rows.get(key(d, e));
      if (r) r.alarmId = alarmId;
      return Promise.resolve();
    },
    remove: (d: string, e: string) => Promise.resolve(void rows.delete(key(d, e))),
    expire: (before: number) => {
      for (const [k, r] of rows) if (r.receivedAt < before) rows.delete(k);
      return Promise.resolve(0);
    },
  } as unknown as AlarmAckOutboxRepository;
  const downlink = {
    sendAckConfirmed: (deviceId: string, ack: { eventId: string; alarmId?: string }) => {
      sent.push({ deviceId, eventId: ack.eventId, alarmId: ack.alarmId });
      return Promise.resolve(outcome());
    },
  } as unknown as DeviceDownlinks;
  const acksSubscribed$ = new Subject<DeviceSession>();
  const clock = new FixedClock();
  const outbox = new AlarmAckOutbox(repo, downlink, { acksSubscribed$ } as unknown as BrokerService, clock);
  const pending = (deviceId: string, eventId: string, receivedAt = clock.t) =>
    rows.set(key(deviceId, eventId), { deviceId, eventId, alarmId: null, receivedAt });
  return { outbox, rows, journal, sent, pending, clock, acksSubscribed$ };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const press = { deviceId: 'button-1', eventId: 'p1', type: 'button.pressed' };

describe('AlarmAckOutbox', () => {
  it('sends the alarm ack and forgets it once the device acknowledged it', async () => {
    const h = harness(() => 'acknowledged');
    h.pending('button-1', 'p1');
    h.outbox.evaluated(press, 'alarm-1');
    await settle();
    expect(h.sent).toEqual([{ deviceId: 'button-1', eventId: 'p1', alarmId: 'alarm-1' }]);
    expect(h.rows.size).toBe(0);
  });

  it('keeps an undelivered ack and sends it when the device subscribes again', async () => {
    let outcome: DeliveryOutcome = 'not-delivered';
    const h = harness(() => outcome);
    h.pending('button-1', 'p1');
    h.outbox.evaluated(press, 'alarm-1');
    await settle();
    expect(h.rows.get('button-1/p1')?.alarmId).toBe('alarm-1');
    outcome = 'acknowledged';
    h.outbox.onModuleInit();
    h.acksSubscribed$.next({ deviceId: 'button-1' } as DeviceSession);
    await settle();
    h.outbox.onModuleDestroy();
    expect(h.sent.map((s) => s.alarmId)).toEqual(['alarm-1', 'alarm-1']);
    expect(h.rows.size).toBe(0);
  });

  it('answers a resent event with its pending alarm ack', async () => {
    const h = harness(() => 'acknowledged');
    h.rows.set('button-1/p1', { deviceId: 'button-1', eventId: 'p1', alarmId: 'alarm-1', receivedAt: 0 });
    h.outbox.duplicate('button-1', 'p1');
    await settle();
    expect(h.sent).toEqual([{ deviceId: 'button-1', eventId: 'p1', alarmId: 'alarm-1' }]);
  });

  it('settles an evaluation that raised nothing new from the stored alarms: the ack if there is one, else drops the row', async () => {
    const h = harness(() => 'acknowledged');
    h.pending('button-1', 'p1');
    h.pending('button-1', 'p2');
    h.journal.set('button-1/p1', 'alarm-1');
    h.outbox.evaluated(press, null);
    h.outbox.evaluated({ ...press, eventId: 'p2' }, null);
    await settle();
    await settle();
    expect(h.sent).toEqual([{ deviceId: 'button-1', eventId: 'p1', alarmId: 'alarm-1' }]);
    expect(h.rows.size).toBe(0);
  });

  it('ignores events that never raise an alarm at once', async () => {
    const h = harness(() => 'acknowledged');
    h.outbox.evaluated({ deviceId: 'm-1', eventId: 'x', type: 'bed.exit' }, null);
    await settle();
    expect(h.sent).toEqual([]);
  });

  it('the sweep settles rows left without an outcome and drops expired ones', async () => {
    const h = harness(() => 'not-delivered');
    h.pending('button-1', 'old', h.clock.t - 2 * 3600_000);
    h.pending('button-1', 'lost', h.clock.t - 120_000);
    h.pending('button-1', 'fresh', h.clock.t);
    h.journal.set('button-1/lost', 'alarm-9');
    await h.outbox.sweep();
    await settle();
    expect([...h.rows.keys()].sort()).toEqual(['button-1/fresh', 'button-1/lost']);
    expect(h.rows.get('button-1/lost')?.alarmId).toBe('alarm-9');
  });
});
