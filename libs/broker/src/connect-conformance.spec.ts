import type { ConnectPacket } from 'aedes';
import { connectViolation, supervisedKeepAlive } from './connect-conformance';

const connect = (will?: Partial<NonNullable<ConnectPacket['will']>>) =>
  ({
    cmd: 'connect',
    clientId: 'd-1',
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    ...(will && { will: { topic: 'a/b', payload: Buffer.from('x'), qos: 1, retain: true, ...will } }),
  }) as unknown as ConnectPacket;

describe('connectViolation', () => {
  it('accepts no will and a well-formed will', () => {
    expect(connectViolation(connect())).toBeNull();
    expect(connectViolation(connect({ qos: 2 }))).toBeNull();
  });
  it('refuses Will QoS 3 (§3.1.2-14) and a wildcard or empty Will Topic', () => {
    expect(connectViolation(connect({ qos: 3 as 0 }))).toMatch(/QoS 3/);
    expect(connectViolation(connect({ topic: 'a/+/b' }))).toMatch(/wildcard/);
    expect(connectViolation(connect({ topic: 'a/#' }))).toMatch(/wildcard/);
    expect(connectViolation(connect({ topic: '' }))).toMatch(/empty/);
  });
});

describe('supervisedKeepAlive', () => {
  it('serves 0 and values over the cap as the cap, keeps the rest', () => {
    expect(supervisedKeepAlive(0, 3600)).toBe(3600);
    expect(supervisedKeepAlive(65535, 3600)).toBe(3600);
    expect(supervisedKeepAlive(60, 3600)).toBe(60);
  });
});
