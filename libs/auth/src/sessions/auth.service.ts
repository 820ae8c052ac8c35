import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, LoginThrottle } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { isDatabaseUnavailable } from '@bedside/database';
import { verifyPassword } from '../users/password-hash';
import { UserRepository, type User } from '../users/user.repository';
import { SessionRepository } from './session.repository';
import { SessionResolver } from './session-resolver';

// A fixed hash to verify against when the username is unknown, so timing does not reveal it.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@Injectable()
export class AuthService {
  private readonly log = new Logger('Auth');
  private readonly perUser: LoginThrottle;
  private readonly perAddress: LoginThrottle;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly resolver: SessionResolver,
    private readonly env: EnvDto,
    private readonly clock: Clock,
  ) {
    this.perUser = new LoginThrottle(env.LOGIN_FAILURES_MAX, env.LOGIN_FAILURE_WINDOW_MS, () => clock.now());
    // A whole call centre usually shares one address: limit it loosely, the username strictly.
    this.perAddress = new LoginThrottle(env.LOGIN_FAILURES_MAX * 10, env.LOGIN_FAILURE_WINDOW_MS, () => clock.now());
  }

  async login(username: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date; user: User }> {
    if (this.perAddress.isBlocked(ip) || this.perUser.isBlocked(username)) {
      this.log.warn({ msg: 'login throttled', username, ip });
      throw new DomainError('RATE_LIMITED', 'too many failed sign-ins; wait and try again', {
        retryAfterSeconds: Math.ceil(
          Math.max(this.perAddress.retryAfterMs(ip), this.perUser.retryAfterMs(username)) / 1000,
        ),
      });
    }
    const found = await this.users.findForLogin(username).catch(refuseWithoutDatabase);
    const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok || found.user.disabled) {
      this.perAddress.recordFailure(ip);
      this.perUser.recordFailure(username);
      this.log.warn({ msg: 'login failed', username, ip });
      throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    }
    this.perUser.recordSuccess(username);
    const expiresAt = new Date(this.clock.now() + this.env.SESSION_TTL_MINUTES * 60_000);
    const token = await this.sessions.create(found.user.id, expiresAt).catch(refuseWithoutDatabase);
    const { id: userId, username: name, displayName, role, organisationId } = found.user;
    this.resolver.signedIn(token, {
      user: { userId, username: name, displayName, role, organisationId },
      expiresAt: expiresAt.getTime(),
    });
    return { token, expiresAt, user: found.user };
  }

  logout(token: string): Promise<void> {
    return this.resolver.signOut(token);
  }
}

/**
 * Signing in needs the database (password hashes are never kept in memory): while it is
 * unreachable the answer says so, and consoles already signed in keep working.
 */
function refuseWithoutDatabase(err: unknown): never {
  if (!isDatabaseUnavailable(err)) throw err;
  throw new DomainError(
    'DATABASE_UNAVAILABLE',
    'signing in needs the database, which is unavailable right now; try again shortly (consoles already signed in keep working)',
  );
}
