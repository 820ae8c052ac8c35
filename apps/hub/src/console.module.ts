import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';

/** The built web console (dist/console), served at `/`; unknown non-API paths get index.html. */
@Module({})
export class ConsoleModule {
  static register(): DynamicModule {
    const rootPath = join(__dirname, '../../../console'); // dist/apps/hub/src -> dist/console
    if (!existsSync(join(rootPath, 'index.html'))) {
      new Logger('Console').warn(`web console not built (${rootPath} missing): run "npm run build"`);
      return { module: ConsoleModule };
    }
    return {
      module: ConsoleModule,
      imports: [ServeStaticModule.forRoot({ rootPath, exclude: ['/api/{*path}', '/health', '/metrics'] })],
    };
  }
}
