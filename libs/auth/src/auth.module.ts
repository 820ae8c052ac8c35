import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { Clock } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { DatabaseHealth } from '@bedside/database';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditRepository } from './audit/audit.repository';
import { resolveAdminPassword } from './bootstrap-admin';
import { AccessController } from './policy/access.controller';
import { AccessRepository } from './policy/access.repository';
import { AuthorizationGuard } from './policy/authorization.guard';
import { RouteTable } from './policy/route-table';
import { AuthController } from './sessions/auth.controller';
import { AuthService } from './sessions/auth.service';
import { AdminCredentials, Authenticator } from './sessions/authenticator';
import { RememberedSessions } from './sessions/remembered-sessions';
import { SessionEndBroadcast } from './sessions/session-end-broadcast.service';
import { SessionMemoryRefresh } from './sessions/session-memory-refresh';
import { SessionOutageMetrics } from './sessions/session-outage.metrics';
import { SessionRepository } from './sessions/session.repository';
import { SessionResolver } from './sessions/session-resolver';
import { SessionStreams } from './sessions/session-streams';
import { UserRepository } from './users/user.repository';
import { UserService } from './users/user.service';
import { UsersController } from './users/users.controller';

/** Console sessions a hub remembers for a database outage: a province's operators several times over. */
const REMEMBERED_SESSIONS = 20_000;
/** A session lookup takes milliseconds; one unanswered this long is a database that froze or went silent. */
const SESSION_LOOKUP_BOUND_MS = 2_000;
/** Sign-outs made during an outage are written this often until the database takes them. */
const SIGN_OUT_RETRY_MS = 5_000;

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [AuthController, UsersController, AuditController, AccessController],
  providers: [
    {
      provide: AdminCredentials,
      inject: [EnvDto],
      useFactory: (env: EnvDto) => {
        const { password, generatedFile } = resolveAdminPassword(env.ADMIN_PASSWORD, env.DATA_DIR);
        if (generatedFile)
          new Logger('Auth').log(
            `ADMIN_PASSWORD not set: the password for user "${env.ADMIN_USERNAME}" is in ${generatedFile}`,
          );
        return new AdminCredentials(env.ADMIN_USERNAME, password);
      },
    },
    UserRepository,
    UserService,
    SessionRepository,
    SessionOutageMetrics,
    {
      provide: SessionResolver,
      inject: [SessionRepository, DatabaseHealth, Clock, EnvDto, SessionOutageMetrics],
      useFactory: (
        store: SessionRepository,
        health: DatabaseHealth,
        clock: Clock,
        env: EnvDto,
        metrics: SessionOutageMetrics,
      ) => {
        const log = new Logger('Auth');
        return new SessionResolver(store, new RememberedSessions(REMEMBERED_SESSIONS), {
          unavailable: (err) => health.unavailable('sessions', err),
          now: () => clock.now(),
          graceMs: env.AUTH_OUTAGE_GRACE_MS,
          lookupBoundMs: SESSION_LOOKUP_BOUND_MS,
          signOutRetryMs: SIGN_OUT_RETRY_MS,
          counted: (outcome) => metrics.answered.inc({ outcome }),
          log: { warn: (m) => log.warn(m), log: (m) => log.log(m) },
        });
      },
    },
    SessionMemoryRefresh,
    SessionStreams,
    SessionEndBroadcast,
    AuthService,
    AuditRepository,
    Authenticator,
    AccessRepository,
    RouteTable,
    { provide: APP_GUARD, useClass: AuthorizationGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AdminCredentials, UserRepository, AuditRepository, AccessRepository, SessionStreams],
})
export class AuthModule {}
