import { Module } from '@nestjs/common';
import { RegistryModule } from '@bedside/registry';
import { BrokerMetrics } from './broker.metrics';
import { BrokerService } from './broker.service';
import { DeviceAuthenticator } from './device-authenticator';
import { DeviceCommandsController } from './device-commands.controller';
import { DownlinkPublisher } from './downlink.publisher';

@Module({
  imports: [RegistryModule],
  controllers: [DeviceCommandsController],
  providers: [BrokerService, BrokerMetrics, DeviceAuthenticator, DownlinkPublisher],
  exports: [BrokerService, BrokerMetrics, DownlinkPublisher],
})
export class BrokerModule {}
