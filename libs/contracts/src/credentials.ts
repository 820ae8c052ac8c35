import { acksTopic, commandsTopic, errorsTopic, eventsTopic, statusTopic, telemetryTopic } from './topics';

/**
 * What provisioning (POST /api/devices) and rotation return, once: everything a device needs to
 * connect. The hub keeps only a salted hash of the password.
 */
export interface DeviceCredentials {
  deviceId: string;
  mqtt: {
    username: string;
    password: string;
    clientId: string;
    topics: { telemetry: string; events: string; status: string; errors: string; acks: string; commands: string };
    lastWill: { topic: string; payload: string; qos: 1; retain: true };
  };
}

/** MQTT 3.1.1 identity for a device id and secret: username = clientId = device id, Last Will on status. */
export function credentialsFor(deviceId: string, secret: string): DeviceCredentials {
  return {
    deviceId,
    mqtt: {
      username: deviceId,
      password: secret,
      clientId: deviceId,
      topics: {
        telemetry: telemetryTopic(deviceId),
        events: eventsTopic(deviceId),
        status: statusTopic(deviceId),
        errors: errorsTopic(deviceId),
        acks: acksTopic(deviceId),
        commands: commandsTopic(deviceId),
      },
      lastWill: { topic: statusTopic(deviceId), payload: JSON.stringify({ state: 'offline' }), qos: 1, retain: true },
    },
  };
}
