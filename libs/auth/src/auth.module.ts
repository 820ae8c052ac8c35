import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EnvDto } from '@bedside/config';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditRepository } from './audit/audit.repository';
import { AdminCredentials, AuthGuard } from './auth.guard';
import { resolveAdminPassword } from './bootstrap-admin';
import { AuthController } from './sessions/auth.controller';
import { AuthService } from './sessions/auth.service';
import { SessionRepository } from './sessions/session.repository';
import { UserRepository } from './users/user.repository';
import { UsersController } from './users/users.controller';

@Global()
@Module({
  controllers: [AuthController, UsersController, AuditController],
  providers: [
    {
      provide: AdminCredentials,
      inject: [EnvDto],
      useFactory: (env: EnvDto) => {
        const { password, generatedFile } = resolveAdminPassword(env.ADMIN_PASSWORD, env.DATA_DIR);
        if (generatedFile) new Logger('Auth').log(`ADMIN_PASSWORD not set: the password for user "${env.ADMIN_USERNAME}" is in ${generatedFile}`);
        return new AdminCredentials(env.ADMIN_USERNAME, password);
      },
    },
    UserRepository, SessionRepository, AuthService, AuditRepository,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AdminCredentials, UserRepository, AuditRepository],
})
export class AuthModule {}
