import { Module } from '@nestjs/common';
import { EnvDto } from '@bedside/config';
import { RegistryModule } from '@bedside/registry';
import { BedServiceJob } from './reports/bed-service.job';
import { BedServiceRepository } from './reports/bed-service.repository';
import { ReportSourceRepository } from './reports/report-source.repository';
import { ReportsController } from './reports/reports.controller';
import { SupervisionReportService } from './reports/supervision-report.service';
import { RegionRepository } from './regions/region.repository';
import { RegionsController } from './regions/regions.controller';
import { SupervisionConfig } from './supervision.config';
import { PlanningSourceRepository } from './visits/planning-source.repository';
import { ResidentTimelineRepository } from './visits/resident-timeline.repository';
import { ResidentVisitsController } from './visits/resident-visits.controller';
import { VisitEvents } from './visits/visit-events';
import { VisitPlannerJob } from './visits/visit-planner.job';
import { VisitPolicyRepository } from './visits/visit-policy.repository';
import { VisitStreamController } from './visits/visit-stream.controller';
import { VisitRepository } from './visits/visit.repository';
import { VisitsController } from './visits/visits.controller';
import { VisitsService } from './visits/visits.service';

/**
 * Community supervision: the district/street hierarchy above households, home visits planned
 * from wellness deviations, policies and alarms, and monthly reports for civil-affairs supervision.
 */
@Module({
  imports: [RegistryModule],
  // The stream before the visit routes: /api/visits/stream must not be read as /api/visits/:id.
  controllers: [
    RegionsController,
    VisitStreamController,
    VisitsController,
    ResidentVisitsController,
    ReportsController,
  ],
  providers: [
    { provide: SupervisionConfig, inject: [EnvDto], useFactory: (env: EnvDto) => SupervisionConfig.fromEnv(env) },
    BedServiceJob,
    BedServiceRepository,
    RegionRepository,
    ReportSourceRepository,
    ResidentTimelineRepository,
    SupervisionReportService,
    PlanningSourceRepository,
    VisitEvents,
    VisitPlannerJob,
    VisitPolicyRepository,
    VisitRepository,
    VisitsService,
  ],
  exports: [VisitsService, RegionRepository],
})
export class SupervisionModule {}
