import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { EnvDto } from '@bedside/config';
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
import { SessionRepository } from './sessions/session.repository';
import { UserRepository } from './users/user.repository';
import { UserService } from './users/user.service';
import { UsersController } from './users/users.controller';

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
    AuthService,
    AuditRepository,
    Authenticator,
    AccessRepository,
    RouteTable,
    { provide: APP_GUARD, useClass: AuthorizationGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AdminCredentials, UserRepository, AuditRepository, AccessRepository],
})
export class AuthModule {}
