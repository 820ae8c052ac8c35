import { Module } from '@nestjs/common';
import { AlarmsModule } from '@bedside/alarms';
import { ActionPlanRepository } from './calls/action-plan.repository';
import { ActionPlansController } from './calls/action-plans.controller';
import { CallAttemptRepository } from './calls/call-attempt.repository';
import { CallService } from './calls/call.service';
import { CallsController } from './calls/calls.controller';
import { DispatchExpectationRepository } from './dispatch/dispatch-expectation.repository';
import { DispatchExpectationsController } from './dispatch/dispatch-expectations.controller';
import { DispatchOverdueJob } from './dispatch/dispatch-overdue.job';
import { DispatchRepository } from './dispatch/dispatch.repository';
import { DispatchService } from './dispatch/dispatch.service';
import { DispatchesController } from './dispatch/dispatches.controller';
import { OpenDispatchesController } from './dispatch/open-dispatches.controller';
import { DisplayController } from './display/display.controller';
import { DisplayRepository } from './display/display.repository';
import { DisplayWatchdog } from './display/display-watchdog.service';
import { HandoverRepository } from './handover/handover.repository';
import { HandoversController } from './handover/handovers.controller';
import { HistoryController } from './history/history.controller';
import { HistoryRepository } from './history/history.repository';
import { HoldController } from './hold/hold.controller';
import { HoldRepository } from './hold/hold.repository';
import { HoldTimer } from './hold/hold-timer.service';
import { KpiRepository } from './kpis/kpi.repository';
import { KpisController } from './kpis/kpis.controller';
import { WallboardController } from './wallboard/wallboard.controller';
import { WallboardRepository } from './wallboard/wallboard.repository';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.service';
import { WebhookRepository } from './webhooks/webhook.repository';
import { WebhooksController } from './webhooks/webhooks.controller';

/**
 * Call-centre work around alarms: dispatch, call lists and action plans, holds, display
 * confirmation, history, shift handover, KPIs and the wallboard, outbound webhooks.
 */
@Module({
  imports: [AlarmsModule],
  // KpisController first: its static path /api/alarms/kpis must win over /api/alarms/:id.
  controllers: [
    KpisController,
    DispatchesController,
    OpenDispatchesController,
    DispatchExpectationsController,
    DisplayController,
    WebhooksController,
    CallsController,
    ActionPlansController,
    HoldController,
    HistoryController,
    HandoversController,
    WallboardController,
  ],
  providers: [
    DispatchRepository,
    DispatchExpectationRepository,
    DispatchService,
    DispatchOverdueJob,
    DisplayRepository,
    DisplayWatchdog,
    KpiRepository,
    WebhookRepository,
    WebhookDispatcher,
    ActionPlanRepository,
    CallAttemptRepository,
    CallService,
    HoldRepository,
    HoldTimer,
    HistoryRepository,
    HandoverRepository,
    WallboardRepository,
  ],
})
export class CallCentreModule {}
