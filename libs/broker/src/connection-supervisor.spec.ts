import { Logger } from '@nestjs/common';
import type { Aedes, Client } from 'aedes';
import type { Metrics } from '@bedside/observability';
import type { DeviceRepository } from '@bedside/registry';
import { ManualClock } from '@bedside/rules';
import { ConnectionSupervisor, type ConnectionChange } from './connection-supervisor';
import { RememberedIdentities } from './remembered-identities';
import { DeviceSessions, type DeviceSession } from './device-session';

/** A connection as aedes holds it: a client id, a Last Will, subscriptions and close(). */
interface FakeClient {
  id: string;
  will: unknown;
  _will: unknown;
  subscriptions: Record<string, unknown>;
  close: jest.Mock;
}

const session = (deviceId: string, authenticatedAt: number): DeviceSession => ({
  deviceId,
  kind: 'button',
  organisationId: 'org',
  bedId: 'bed-1',
  remoteAddress: '127.0.0.1',
  authenticatedAt,
});

function connection(deviceId: string, authenticatedAt: number, subscriptions: Record<string, unknown> = {}) {
  const client: FakeClient = {
    id: deviceId,
    will: { topic: `bedside/v1/devices/${deviceId}/status` },
    _will: null,
    subscriptions,
    close: jest.fn(),
  };
  DeviceSessions.attach(client as unknown as Client, session(deviceId, authenticatedAt));
  return client;
}

const asClient = (c: FakeClient) => c as unknown as Client;

function setUp() {
  const clock = new ManualClock(1_000);
  const connected = { set: jest.fn() };
  const findIdentity = jest.fn();
  const identities = new RememberedIdentities(60_000, 100);
  const supervisor = new ConnectionSupervisor(
    { connectedDevices: connected } as unknown as Metrics,
    { findIdentity } as unknown as DeviceRepository,
    clock,
    identities,
  );
  const changes: Omit<ConnectionChange, 'session'>[] = [];
  const deviceIds: string[] = [];
  supervisor.connections$.subscribe((c) => {
    changes.push({ state: c.state, at: c.at });
    deviceIds.push(c.session.deviceId);
  });
  const acks: string[] = [];
  supervisor.acksSubscribed$.subscribe((s) => acks.push(s.deviceId));
  /** aedes' connected clients by client id, as prepareTakeover and shutDown read them. */
  const clients: Record<string, Client | undefined> = {};
  const aedes = { clients } as unknown as Aedes;
  return { clock, connected, findIdentity, identities, supervisor, changes, deviceIds, acks, clients, aedes };
}

describe('connection supervisor', () => {
  // The supervisor logs the connections it closes; the assertions are on what it does (Jest gives
  // each spec file its own modules, so this stays here).
  beforeAll(() => Logger.overrideLogger(false));

  it('reports a device connected when ready and disconnected when it goes', () => {
    const { supervisor, changes, deviceIds, clock, connected } = setUp();
    const c = connection('btn-1', 900);
    supervisor.onReady(asClient(c));
    expect(supervisor.isConnected('btn-1')).toBe(true);
    expect(supervisor.connectedDevices).toBe(1);
    clock.advance(500);
    supervisor.onGone(asClient(c));
    expect(supervisor.isConnected('btn-1')).toBe(false);
    expect(changes).toEqual([
      { state: 'connected', at: 1_000 },
      { state: 'disconnected', at: 1_500 },
    ]);
    expect(deviceIds).toEqual(['btn-1', 'btn-1']);
    expect(connected.set.mock.calls).toEqual([[1], [0]]);
  });

  it('lets a takeover replace the old connection without its will and without a disconnect', () => {
    const { supervisor, changes, clients, aedes } = setUp();
    const old = connection('btn-1', 900);
    supervisor.onReady(asClient(old));
    clients['btn-1'] = asClient(old);
    const fresh = connection('btn-1', 950);
    supervisor.prepareTakeover(aedes, asClient(fresh));
    expect(old.will).toBeNull();
    expect(fresh.will).not.toBeNull();
    supervisor.onGone(asClient(old));
    supervisor.onReady(asClient(fresh));
    expect(changes.map((c) => c.state)).toEqual(['connected', 'connected']);
    expect(supervisor.isConnected('btn-1')).toBe(true);
  });

  it('ignores the goodbye of a connection already replaced', () => {
    const { supervisor, changes } = setUp();
    const old = connection('btn-1', 900);
    const fresh = connection('btn-1', 950);
    supervisor.onReady(asClient(old));
    supervisor.onReady(asClient(fresh));
    supervisor.onGone(asClient(old));
    expect(changes.map((c) => c.state)).toEqual(['connected', 'connected']);
    expect(supervisor.isConnected('btn-1')).toBe(true);
  });

  it('closes a login that raced a revocation, and a live connection when its access is revoked', async () => {
    const { supervisor, clock, changes } = setUp();
    const raced = connection('btn-1', 900);
    await supervisor.onAccessChange('btn-1', 'revoked'); // at 1 000, after the login check at 900
    supervisor.onReady(asClient(raced));
    expect(raced.close).toHaveBeenCalled();
    expect(supervisor.isConnected('btn-1')).toBe(false);

    clock.advance(1_000);
    const live = connection('btn-2', 1_500);
    supervisor.onReady(asClient(live));
    await supervisor.onAccessChange('btn-2', 'rotated');
    expect(live.close).toHaveBeenCalled();
    expect(changes.map((c) => c.state)).toEqual(['connected']);
  });

  it('keeps a device’s remembered identity current while it is connected, and forgets it on any access change', async () => {
    const { supervisor, identities, clock } = setUp();
    const identity = {
      id: 'btn-1',
      kind: 'button' as const,
      organisationId: 'org-1',
      bedId: 'bed-1',
      secretSalt: 's',
      secretHash: 'h',
      revoked: false,
    };
    identities.remember(identity, clock.now());
    const c = connection('btn-1', 900);
    supervisor.onReady(asClient(c));
    clock.advance(10 * 60_000); // connected ten minutes: longer than the grace
    supervisor.onGone(asClient(c));
    expect(identities.recall('btn-1', clock.now() + 60_000)?.id).toBe('btn-1');
    await supervisor.onAccessChange('btn-1', 'rebound');
    expect(identities.recall('btn-1', clock.now())).toBeUndefined();
  });

  it('rebinds a live session to its new bed without closing it', async () => {
    const { supervisor, findIdentity } = setUp();
    const c = connection('btn-1', 900);
    supervisor.onReady(asClient(c));
    findIdentity.mockResolvedValue({ bedId: 'bed-2' });
    await supervisor.onAccessChange('btn-1', 'rebound');
    expect(c.close).not.toHaveBeenCalled();
    expect(DeviceSessions.of(asClient(c))?.bedId).toBe('bed-2');
  });

  it('tells when a device can receive its acks: a subscription covering them, or a session that kept one', () => {
    const { supervisor, acks } = setUp();
    const plain = connection('btn-1', 900);
    supervisor.onReady(asClient(plain));
    supervisor.onSubscribe([{ topic: 'bedside/v1/devices/btn-1/errors', qos: 1 }], asClient(plain));
    supervisor.onSubscribe([{ topic: 'bedside/v1/devices/btn-1/acks', qos: 128 as never }], asClient(plain));
    expect(acks).toEqual([]);
    supervisor.onSubscribe([{ topic: 'bedside/v1/devices/btn-1/acks', qos: 1 }], asClient(plain));
    expect(acks).toEqual(['btn-1']);

    const resumed = connection('btn-2', 900, { 'bedside/v1/devices/btn-2/#': { qos: 1 } });
    supervisor.onReady(asClient(resumed));
    expect(acks).toEqual(['btn-1', 'btn-2']);
  });

  it('at shutdown drops every will and reports no disconnect', () => {
    const { supervisor, changes, clients, aedes } = setUp();
    const a = connection('btn-1', 900);
    const b = connection('btn-2', 900);
    for (const c of [a, b]) {
      supervisor.onReady(asClient(c));
      clients[c.id] = asClient(c);
    }
    supervisor.shutDown(aedes);
    expect([a.will, b.will]).toEqual([null, null]);
    supervisor.onGone(asClient(a));
    supervisor.onGone(asClient(b));
    expect(changes.map((c) => c.state)).toEqual(['connected', 'connected']);
    expect(supervisor.isConnected('btn-1')).toBe(false);
  });

  it('shuts down before aedes was ever started', () => {
    const { supervisor } = setUp();
    expect(() => supervisor.shutDown(undefined)).not.toThrow();
  });
});
