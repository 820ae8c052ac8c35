import { Module } from '@nestjs/common';
import { RegistryModule } from '@bedside/registry';
import { BrokerMetrics } from './broker.metrics';
import { BrokerService } from './broker.service';
import { ConnectionSupervisor } from './connection-supervisor';
import { DeviceHooks } from './device-hooks';
import { DeviceAuthenticator } from './device-authenticator';
import { DeviceCommandsController } from './device-commands.controller';
import { DownlinkPublisher } from './downlink.publisher';
import { MqttListeners } from './mqtt-listeners';

@Module({
  imports: [RegistryModule],
  controllers: [DeviceCommandsController],
  providers: [
    BrokerService,
    BrokerMetrics,
    DeviceAuthenticator,
    DownlinkPublisher,
    DeviceHooks,
    ConnectionSupervisor,
    MqttListeners,
  ],
  exports: [BrokerService, BrokerMetrics, DownlinkPublisher],
})
export class BrokerModule {}
