import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Clock, DomainError, LoginThrottle } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import type { AuthUser } from '../current-user.decorator';
import { SessionResolver } from './session-resolver';

export class AdminCredentials {
  constructor(
    readonly username: string,
    readonly password: string,
  ) {}
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who is calling: a console session (`Authorization: Bearer …`) or the bootstrap administrator
 * (HTTP Basic, RFC 7617) for scripts and first setup. Basic is throttled like sign-in: it is a
 * password check too, and one an attacker could otherwise repeat without limit.
 */
@Injectable()
export class Authenticator {
  private readonly log = new Logger('Auth');
  private readonly basicPerUser: LoginThrottle;
  private readonly basicPerAddress: LoginThrottle;

  constructor(
    private readonly admin: AdminCredentials,
    private readonly sessions: SessionResolver,
    private readonly clock: Clock,
    env: EnvDto,
  ) {
    this.basicPerUser = new LoginThrottle(env.LOGIN_FAILURES_MAX, env.LOGIN_FAILURE_WINDOW_MS, () => clock.now());
    this.basicPerAddress = new LoginThrottle(env.LOGIN_FAILURES_MAX * 10, env.LOGIN_FAILURE_WINDOW_MS, () =>
      clock.now(),
    );
  }

  async authenticate(header: string, ip: string): Promise<AuthUser> {
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'bearer' && value) {
      const user = await this.sessions.resolve(value);
      if (!user) throw new DomainError('UNAUTHENTICATED', 'session expired, ended or unknown; sign in again');
      return { ...user };
    }
    if (scheme === 'basic' && value) return this.basic(value, ip);
    throw new DomainError(
      'UNAUTHENTICATED',
      'sign in first: Authorization: Bearer <token> (POST /api/auth/login) or HTTP Basic for the bootstrap admin',
    );
  }

  private basic(value: string, ip: string): AuthUser {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon > 0 ? decoded.slice(0, colon) : '';
    if (this.basicPerAddress.isBlocked(ip) || this.basicPerUser.isBlocked(username)) {
      this.log.warn({ msg: 'basic authentication throttled', ip });
      const retryAfterMs = Math.max(this.basicPerAddress.retryAfterMs(ip), this.basicPerUser.retryAfterMs(username));
      throw new DomainError('RATE_LIMITED', 'too many failed sign-ins; wait and try again', {
        retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
      });
    }
    // Compare digests so the comparison takes the same time whatever the lengths.
    const ok =
      colon > 0 &&
      timingSafeEqual(digest(username), digest(this.admin.username)) &&
      timingSafeEqual(digest(decoded.slice(colon + 1)), digest(this.admin.password));
    if (!ok) {
      this.basicPerAddress.recordFailure(ip);
      this.basicPerUser.recordFailure(username);
      this.log.warn({ msg: 'basic authentication failed', ip });
      throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    }
    this.basicPerUser.recordSuccess(username);
    return {
      userId: null,
      username: this.admin.username,
      displayName: this.admin.username,
      role: 'admin',
      organisationId: null,
    };
  }
}
