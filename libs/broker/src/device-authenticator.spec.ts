import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { EnvDto } from '@bedside/config';
import type { Metrics } from '@bedside/observability';
import { hashSecret, type DeviceIdentity, type DeviceRepository } from '@bedside/registry';
import { ManualClock } from '@bedside/rules';
import { BrokerMetrics } from './broker.metrics';
import { DeviceAuthenticator } from './device-authenticator';
import { RememberedIdentities } from './remembered-identities';

const SECRET = 'the-device-secret';
const identity: DeviceIdentity = {
  id: 'btn-1',
  kind: 'button',
  organisationId: 'org-1',
  bedId: 'bed-1',
  secretSalt: 'salt',
  secretHash: hashSecret(SECRET, 'salt'),
  revoked: false,
};
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function setUp() {
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const clock = new ManualClock(1_000);
  const findIdentity = jest.fn<Promise<DeviceIdentity | undefined>, [string]>();
  const registry = new Registry();
  const metrics = { registry, authFailures: { inc: jest.fn() } } as unknown as Metrics;
  const brokerMetrics = new BrokerMetrics(metrics);
  const remembered = new RememberedIdentities(3_600_000, 100);
  const env = { MQTT_AUTH_FAILURES_MAX: 5, MQTT_AUTH_FAILURE_WINDOW_MS: 60_000 } as EnvDto;
  const auth = new DeviceAuthenticator(
    { findIdentity } as unknown as DeviceRepository,
    metrics,
    brokerMetrics,
    remembered,
    env,
    clock,
  );
  const login = (password = SECRET) => auth.login('btn-1', 'btn-1', Buffer.from(password), '10.0.0.1');
  const outageLogins = async () =>
    (await registry.getSingleMetric('bedside_mqtt_outage_logins_total')!.get()).values[0].value;
  return { clock, findIdentity, remembered, login, outageLogins };
}

describe('DeviceAuthenticator while the database is unreachable', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs a device in with the identity read at its last login, and counts it', async () => {
    const { findIdentity, login, outageLogins } = setUp();
    findIdentity.mockResolvedValueOnce(identity).mockRejectedValue(refused);
    expect((await login()).ok).toBe(true);
    const during = await login();
    expect(during).toMatchObject({ ok: true, session: { deviceId: 'btn-1', bedId: 'bed-1', organisationId: 'org-1' } });
    expect(await outageLogins()).toBe(1);
  });

  it('still checks the secret against the remembered hash', async () => {
    const { findIdentity, login } = setUp();
    findIdentity.mockResolvedValueOnce(identity).mockRejectedValue(refused);
    await login();
    expect(await login('a-guess')).toEqual({ ok: false, reason: 'bad-password' });
  });

  it('answers "unavailable" (the caller sends CONNACK 3) for a device it never read, or read too long ago', async () => {
    const { clock, findIdentity, login } = setUp();
    findIdentity.mockRejectedValue(refused);
    await expect(login()).rejects.toBe(refused);
    findIdentity.mockReset().mockResolvedValueOnce(identity).mockRejectedValue(refused);
    await login();
    clock.advance(3_600_001);
    await expect(login()).rejects.toBe(refused);
  });

  it('never stands in for an error that is not an outage', async () => {
    const { findIdentity, login } = setUp();
    const bug = new TypeError('a bug');
    findIdentity.mockResolvedValueOnce(identity).mockRejectedValue(bug);
    await login();
    await expect(login()).rejects.toBe(bug);
  });

  it('forgets a device the database no longer knows', async () => {
    const { findIdentity, login } = setUp();
    findIdentity.mockResolvedValueOnce(identity).mockResolvedValueOnce(undefined).mockRejectedValue(refused);
    await login();
    expect(await login()).toEqual({ ok: false, reason: 'unknown-device' });
    await expect(login()).rejects.toBe(refused);
  });
});
