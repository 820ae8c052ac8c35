import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AlarmsModule } from '@bedside/alarms';
import { CallCentreModule } from '@bedside/callcentre';
import { ClusterBusModule, ClusterModule } from '@bedside/cluster';
import { AuthModule } from '@bedside/auth';
import { BrokerModule } from '@bedside/broker';
import { ClockModule } from '@bedside/common';
import { ConfigModule, type EnvDto } from '@bedside/config';
import { DatabaseModule } from '@bedside/database';
import { IngestModule } from '@bedside/ingest';
import { ObservabilityModule } from '@bedside/observability';
import { RegistryModule } from '@bedside/registry';
import { TelemetryModule } from '@bedside/telemetry';
import { SupervisionModule } from '@bedside/supervision';
import { WellnessModule } from '@bedside/wellness';
import { ConsoleModule } from './console.module';
import { HealthController } from './health.controller';
import { HttpExceptionFilter } from './http-exception.filter';
import { StrictValidationPipe } from './http/strict-validation.pipe';
import { loggerOptions } from './logger-options';

/** Composition only: the hub is the sum of the library modules. */
@Module({})
export class AppModule {
  static forRoot(env: EnvDto): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot(loggerOptions(env.LOG_LEVEL)),
        ClockModule,
        ObservabilityModule,
        DatabaseModule,
        TelemetryModule,
        AuthModule,
        RegistryModule,
        BrokerModule,
        IngestModule,
        ConsoleModule.register(),
        // Before AlarmsModule: its static routes (/api/alarms/kpis) must be registered ahead of /api/alarms/:id.
        CallCentreModule,
        AlarmsModule,
        WellnessModule,
        ClusterModule.forRoot(env),
        ClusterBusModule.forRoot(env),
        SupervisionModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useValue: new StrictValidationPipe() },
      ],
    };
  }
}
