import { Module } from '@nestjs/common';
import { EnvDto } from '@bedside/config';
import { Database } from '@bedside/database';
import { MinuteRollupRepository } from '@bedside/telemetry';
import { IngestModule } from '@bedside/ingest';
import { WellnessController } from './http/wellness.controller';
import { BedNightSourceRepository } from './persistence/bed-night-source.repository';
import { NightRequestRepository } from './persistence/night-request.repository';
import { NightSummaryRepository } from './persistence/night-summary.repository';
import { WellnessThresholdsRepository } from './persistence/wellness-thresholds.repository';
import { LateDataTracker } from './services/late-data.tracker';
import { NightComputer } from './services/night-computer.service';
import { WellnessConfig } from './services/wellness.config';
import { WellnessJob } from './services/wellness-job.service';
import { WellnessService } from './services/wellness.service';

/** Nightly wellness summaries, personal baselines and advisory deviations for visit planning. */
@Module({
  imports: [IngestModule],
  controllers: [WellnessController],
  providers: [
    { provide: WellnessConfig, inject: [EnvDto], useFactory: (env: EnvDto) => WellnessConfig.fromEnv(env) },
    {
      provide: MinuteRollupRepository,
      inject: [Database],
      useFactory: (db: Database) => new MinuteRollupRepository(db),
    },
    BedNightSourceRepository,
    NightRequestRepository,
    NightSummaryRepository,
    WellnessThresholdsRepository,
    LateDataTracker,
    NightComputer,
    WellnessJob,
    WellnessService,
  ],
  exports: [WellnessService],
})
export class WellnessModule {}
