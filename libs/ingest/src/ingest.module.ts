import { Module } from '@nestjs/common';
import { BrokerModule } from '@bedside/broker';
import { RegistryModule } from '@bedside/registry';
import { VitalsController } from '@bedside/telemetry';
import { DeviceDataController } from './device-data.controller';
import { DeviceEventRepository } from './device-event.repository';
import { DeviceStateRepository } from './device-state.repository';
import { IngestEvents } from './ingest.events';
import { IngestService } from './ingest.service';

@Module({
  imports: [BrokerModule, RegistryModule],
  // Both read stored device data; the authorization guard checks the caller's organisation first.
  controllers: [DeviceDataController, VitalsController],
  providers: [IngestService, DeviceEventRepository, DeviceStateRepository, IngestEvents],
  exports: [IngestEvents, DeviceEventRepository, DeviceStateRepository],
})
export class IngestModule {}
