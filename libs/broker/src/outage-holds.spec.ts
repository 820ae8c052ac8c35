import { Logger } from '@nestjs/common';
import type { Client, PublishPacket } from 'aedes';
import { Subject } from 'rxjs';
import type { DatabaseHealth } from '@bedside/database';
import type { BrokerMetrics } from './broker.metrics';
import type { ConnectionSupervisor } from './connection-supervisor';
import { OutageHolds } from './outage-holds';

function setUp() {
  const recovered$ = new Subject<void>();
  const resent: string[] = [];
  const holds = new OutageHolds(
    { recovered$ } as unknown as DatabaseHealth,
    { closeForResend: (c: Client) => resent.push(c.id) } as unknown as ConnectionSupervisor,
    { heldForOutage: { inc: jest.fn() } } as unknown as BrokerMetrics,
  );
  holds.onApplicationBootstrap();
  const client = (id: string) => ({ id, closed: false }) as unknown as Client;
  const packet = () => ({ cmd: 'publish', qos: 1, messageId: 1, topic: 't' }) as unknown as PublishPacket;
  return { recovered$, resent, holds, client, packet };
}

describe('OutageHolds', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('holds messages without a PUBACK and, when the database is back, closes each holding connection once', () => {
    const { recovered$, resent, holds, client, packet } = setUp();
    const a = client('a');
    const b = client('b');
    const p = packet();
    expect(holds.hold(a, p)).toBe(true);
    expect(p.qos).toBe(0);
    holds.hold(a, packet());
    holds.hold(b, packet());
    expect(holds.connections).toBe(2);
    recovered$.next();
    expect(resent).toEqual(['a', 'b']);
    recovered$.next(); // nothing held any more
    expect(resent).toEqual(['a', 'b']);
  });

  it('closes no connection for a QoS 0 message, which is never resent', () => {
    const { recovered$, resent, holds, client } = setUp();
    const qos0 = { cmd: 'publish', qos: 0, topic: 't' } as unknown as PublishPacket;
    expect(holds.hold(client('a'), qos0)).toBe(true);
    recovered$.next();
    expect(resent).toEqual([]);
  });

  it('does not hold on a closed connection, and skips one that closed meanwhile', () => {
    const { recovered$, resent, holds, client, packet } = setUp();
    const gone = client('gone');
    (gone as { closed: boolean }).closed = true;
    expect(holds.hold(gone, packet())).toBe(false);
    const later = client('later');
    holds.hold(later, packet());
    (later as { closed: boolean }).closed = true;
    recovered$.next();
    expect(resent).toEqual([]);
  });
});
