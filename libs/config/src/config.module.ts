import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EnvDto } from './env.dto';
import { loadConfig } from './load-config';

/** Provides the validated EnvDto. The hub loads it before Nest starts so a bad key fails fast. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: EnvDto = loadConfig()): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: EnvDto, useValue: config }], exports: [EnvDto] };
  }
}
