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
import { DeviceDownlinks } from './cluster/device-downlinks';
import { DeviceSessionRepository } from './cluster/device-session.repository';

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
    DeviceSessionRepository,
    DeviceDownlinks,
  ],
  exports: [BrokerService, BrokerMetrics, DownlinkPublisher, DeviceDownlinks],
})
export class BrokerModule {}
