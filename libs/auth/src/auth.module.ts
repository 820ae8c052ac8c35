import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EnvDto } from '@bedside/config';
import { AdminAuthGuard, AdminCredentials } from './admin-auth.guard';
import { resolveAdminPassword } from './bootstrap-admin';

@Global()
@Module({
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
    { provide: APP_GUARD, useClass: AdminAuthGuard },
  ],
  exports: [AdminCredentials],
})
export class AuthModule {}
