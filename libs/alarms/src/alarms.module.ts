import { Module } from '@nestjs/common';
import { LeaseManager } from '@bedside/cluster';
import { BrokerModule } from '@bedside/broker';
import { IngestModule } from '@bedside/ingest';
import { RegistryModule } from '@bedside/registry';
import { EnvDto } from '@bedside/config';
import { AlarmsConfig } from './alarms.config';
import { AlarmStreamController } from './http/alarm-stream.controller';
import { OpenStreams } from './http/open-streams';
import { AlarmsController } from './http/alarms.controller';
import { BedAlarmsController } from './http/bed-alarms.controller';
import { RulesController } from './http/rules.controller';
import { AlarmContextRepository } from './persistence/alarm-context.repository';
import { AlarmRepository } from './persistence/alarm.repository';
import { BedContextRepository } from './persistence/bed-context.repository';
import { BedRuleStateRepository } from './persistence/bed-rule-state.repository';
import { MaintenanceRepository } from './persistence/maintenance.repository';
import { RuleSetRepository } from './persistence/rule-set.repository';
import { AlarmApplier } from './runtime/alarm-applier';
import { AlarmCommitter } from './runtime/alarm-committer';
import { BedCheckpoints } from './runtime/bed-checkpoints';
import { BedEntries } from './runtime/bed-entries';
import { BedOwnership, PartitionOwnership, SingleProcessOwnership } from './runtime/bed-ownership';
import { AlarmStream } from './runtime/alarm-stream';
import { RulesRunner } from './runtime/rules-runner.service';
import { OwnerRouter } from './runtime/owner-router';
import { PartitionFastPath } from './runtime/partition-fast-path';
import { ClusterInputs } from './runtime/cluster-inputs';
import { AlarmLogFollower } from './stream/alarm-log-follower.service';
import { BedLabels } from './provisional/bed-labels';
import { ProvisionalAlarms } from './provisional/provisional-alarms.service';
import { AlarmContextService } from './services/alarm-context.service';
import { AlarmService } from './services/alarm.service';
import { BacktestService } from './services/backtest.service';
import { RuleConfigService } from './services/rule-config.service';

/** Rules engine runtime, alarm lifecycle, alarm stream (SSE) and rule configuration. */
@Module({
  imports: [BrokerModule, IngestModule, RegistryModule],
  // The stream controller first: its static `stream` route must win over `:id`.
  controllers: [AlarmStreamController, AlarmsController, BedAlarmsController, RulesController],
  providers: [
    { provide: AlarmsConfig, inject: [EnvDto], useFactory: (env: EnvDto) => AlarmsConfig.fromEnv(env) },
    AlarmRepository,
    AlarmContextRepository,
    AlarmContextService,
    BedContextRepository,
    BedRuleStateRepository,
    MaintenanceRepository,
    RuleSetRepository,
    {
      provide: BedOwnership,
      inject: [EnvDto, { token: LeaseManager, optional: true }],
      useFactory: (env: EnvDto, leases?: LeaseManager): BedOwnership =>
        leases ? new PartitionOwnership(leases, env.CLUSTER_PARTITIONS) : new SingleProcessOwnership(),
    },
    AlarmApplier,
    AlarmCommitter,
    BedEntries,
    BedCheckpoints,
    AlarmStream,
    RulesRunner,
    OwnerRouter,
    PartitionFastPath,
    ClusterInputs,
    AlarmService,
    BacktestService,
    RuleConfigService,
    OpenStreams,
    AlarmLogFollower,
    BedLabels,
    ProvisionalAlarms,
  ],
  exports: [AlarmStream, AlarmService, AlarmRepository, RulesRunner, RuleConfigService],
})
export class AlarmsModule {}
