import { Module } from '@nestjs/common';
import { AlarmsModule } from '@bedside/alarms';
import { DispatchRepository } from './dispatch/dispatch.repository';
import { DispatchService } from './dispatch/dispatch.service';
import { DispatchesController } from './dispatch/dispatches.controller';
import { DisplayController } from './display/display.controller';
import { DisplayRepository } from './display/display.repository';
import { DisplayWatchdog } from './display/display-watchdog.service';
import { KpiRepository } from './kpis/kpi.repository';
import { KpisController } from './kpis/kpis.controller';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.service';
import { WebhookRepository } from './webhooks/webhook.repository';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Call-centre work around alarms: dispatch, display confirmation, KPIs, outbound webhooks. */
@Module({
  imports: [AlarmsModule],
  // KpisController first: its static path /api/alarms/kpis must win over /api/alarms/:id.
  controllers: [KpisController, DispatchesController, DisplayController, WebhooksController],
  providers: [
    DispatchRepository,
    DispatchService,
    DisplayRepository,
    DisplayWatchdog,
    KpiRepository,
    WebhookRepository,
    WebhookDispatcher,
  ],
})
export class CallCentreModule {}
