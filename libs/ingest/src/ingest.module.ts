import { Module } from '@nestjs/common';
import { BrokerModule } from '@bedside/broker';
import { RegistryModule } from '@bedside/registry';
import { VitalsController } from '@bedside/telemetry';
import { AlarmAckOutboxRepository } from './alarm-ack-outbox.repository';
import { AlarmAckOutbox } from './alarm-ack-outbox.service';
import { DeviceDataController } from './device-data.controller';
import { DeviceEventRepository } from './device-event.repository';
import { DeviceStateRepository } from './device-state.repository';
import { IngestEvents } from './ingest.events';
import { InboundQuota } from './inbound-quota.service';
import { IngestService } from './ingest.service';
import { UnstoredCallWatch } from './unstored-call-watch';

@Module({
  imports: [BrokerModule, RegistryModule],
  // Both read stored device data; the authorization guard checks the caller's organisation first.
  controllers: [DeviceDataController, VitalsController],
  providers: [
    IngestService,
    AlarmAckOutbox,
    AlarmAckOutboxRepository,
    InboundQuota,
    DeviceEventRepository,
    DeviceStateRepository,
    IngestEvents,
    UnstoredCallWatch,
  ],
  exports: [IngestEvents, AlarmAckOutbox, DeviceEventRepository, DeviceStateRepository],
})
export class IngestModule {}
