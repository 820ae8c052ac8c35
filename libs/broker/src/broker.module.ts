import { Module } from '@nestjs/common';
import { EnvDto } from '@bedside/config';
import { RegistryModule } from '@bedside/registry';
import { BrokerMetrics } from './broker.metrics';
import { BrokerService } from './broker.service';
import { ConnectionSupervisor } from './connection-supervisor';
import { DeviceHooks } from './device-hooks';
import { DeviceAuthenticator } from './device-authenticator';
import { DeviceCommandsController } from './device-commands.controller';
import { DownlinkPublisher } from './downlink.publisher';
import { MqttListeners } from './mqtt-listeners';
import { OutageHolds } from './outage-holds';
import { RememberedIdentities } from './remembered-identities';
import { DeviceDownlinks } from './cluster/device-downlinks';
import { DeviceSessionRepository } from './cluster/device-session.repository';

/** Far above the devices one node carries; beyond it the least recently read are dropped. */
const MAX_REMEMBERED_IDENTITIES = 200_000;

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
    OutageHolds,
    {
      provide: RememberedIdentities,
      useFactory: (env: EnvDto) => new RememberedIdentities(env.MQTT_AUTH_OUTAGE_GRACE_MS, MAX_REMEMBERED_IDENTITIES),
      inject: [EnvDto],
    },
  ],
  exports: [BrokerService, BrokerMetrics, DownlinkPublisher, DeviceDownlinks],
})
export class BrokerModule {}
