import { Injectable, Logger } from '@nestjs/common';
import { Clock, LoginThrottle } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { isDatabaseUnavailable } from '@bedside/database';
import { DeviceRepository, verifySecret, type DeviceIdentity } from '@bedside/registry';
import { Metrics } from '@bedside/observability';
import { BrokerMetrics } from './broker.metrics';
import type { DeviceSession } from './device-session';
import { RememberedIdentities } from './remembered-identities';

export type LoginRefusal =
  'throttled' | 'no-credentials' | 'client-id-mismatch' | 'unknown-device' | 'revoked' | 'bad-password';

export type LoginResult = { ok: true; session: DeviceSession } | { ok: false; reason: LoginRefusal };

/** MQTT CONNECT check: username = device id = clientId, password = the device's secret. */
@Injectable()
export class DeviceAuthenticator {
  private readonly log = new Logger('DeviceAuthenticator');
  readonly throttle: LoginThrottle;

  /** Cellular devices often share one carrier NAT address: limit the address loosely, the device id strictly. */
  readonly addressThrottle: LoginThrottle;

  constructor(
    private readonly devices: DeviceRepository,
    private readonly metrics: Metrics,
    private readonly brokerMetrics: BrokerMetrics,
    private readonly remembered: RememberedIdentities,
    env: EnvDto,
    private readonly clock: Clock,
  ) {
    this.throttle = new LoginThrottle(env.MQTT_AUTH_FAILURES_MAX, env.MQTT_AUTH_FAILURE_WINDOW_MS, () => clock.now());
    this.addressThrottle = new LoginThrottle(env.MQTT_AUTH_FAILURES_MAX * 20, env.MQTT_AUTH_FAILURE_WINDOW_MS, () =>
      clock.now(),
    );
  }

  async login(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
    remoteAddress: string,
  ): Promise<LoginResult> {
    const result = await this.check(clientId, username, password, remoteAddress);
    if (result.ok) {
      this.throttle.recordSuccess(username!);
    } else {
      this.metrics.authFailures.inc({ reason: result.reason });
      if (result.reason !== 'throttled') {
        this.addressThrottle.recordFailure(remoteAddress);
        if (username) this.throttle.recordFailure(username);
      }
      this.log.warn({ msg: 'mqtt login refused', reason: result.reason, clientId, username, remoteAddress });
    }
    return result;
  }

  private async check(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
    remoteAddress: string,
  ): Promise<LoginResult> {
    if (this.addressThrottle.isBlocked(remoteAddress) || (username && this.throttle.isBlocked(username)))
      return { ok: false, reason: 'throttled' };
    if (!username || !password) return { ok: false, reason: 'no-credentials' };
    if (clientId !== username) return { ok: false, reason: 'client-id-mismatch' };
    const identity = await this.identity(username);
    if (!identity) return { ok: false, reason: 'unknown-device' };
    if (!verifySecret(password.toString('utf8'), identity.secretSalt, identity.secretHash))
      return { ok: false, reason: 'bad-password' };
    if (identity.revoked) return { ok: false, reason: 'revoked' };
    return {
      ok: true,
      session: {
        deviceId: identity.id,
        kind: identity.kind,
        organisationId: identity.organisationId,
        bedId: identity.bedId,
        remoteAddress,
        authenticatedAt: this.clock.now(),
      },
    };
  }

  /** The database's answer; while it cannot answer, the identity this node remembers, if still trusted. */
  private async identity(deviceId: string): Promise<DeviceIdentity | undefined> {
    try {
      const identity = await this.devices.findIdentity(deviceId);
      if (identity) this.remembered.remember(identity, this.clock.now());
      else this.remembered.forget(deviceId);
      return identity;
    } catch (err) {
      const recalled = isDatabaseUnavailable(err) ? this.remembered.recall(deviceId, this.clock.now()) : undefined;
      if (!recalled) throw err;
      this.brokerMetrics.outageLogins.inc();
      return recalled;
    }
  }
}
