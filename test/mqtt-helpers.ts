import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { errorsTopic, acksTopic } from '@bedside/contracts';
import { freePort, hubApi, startHub, type HubProcess } from '@bedside/testing';

export interface Creds {
  deviceId: string;
  mqtt: {
    username: string;
    password: string;
    clientId: string;
    lastWill: { topic: string; payload: string; qos: 1; retain: true };
  };
}

/** Connects like a real device would; rejects with the CONNACK error when refused. */
export function connectDevice(url: string, creds: Creds, opts: IClientOptions = {}): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      clientId: creds.mqtt.clientId,
      username: creds.mqtt.username,
      password: creds.mqtt.password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      protocolVersion: 4,
      will: {
        topic: creds.mqtt.lastWill.topic,
        payload: Buffer.from(creds.mqtt.lastWill.payload),
        qos: 1,
        retain: true,
      },
      ...opts,
    });
    const onError = (err: Error) => {
      client.end(true);
      reject(err);
    };
    const onClose = () => reject(new Error('closed before CONNACK'));
    client.once('error', onError);
    client.once('close', onClose);
    client.once('connect', () => {
      client.off('error', onError);
      client.off('close', onClose);
      client.on('error', () => undefined); // later errors surface as closes; reconnection is the device's job
      resolve(client);
    });
  });
}

/** Connects as the device, publishes one JSON message at QoS 1 (acknowledged) and disconnects. */
export async function publishOnce(url: string, creds: Creds, topic: string, payload: unknown): Promise<void> {
  const client = await connectDevice(url, creds);
  await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  await client.endAsync();
}

/** Collects every message on the device's errors and acks topics. */
export async function listenDownlinks(client: MqttClient, deviceId: string) {
  const errors: any[] = [];
  const acks: any[] = [];
  const all: { topic: string; body: any }[] = [];
  client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString());
    all.push({ topic, body });
    if (topic === errorsTopic(deviceId)) errors.push(body);
    if (topic === acksTopic(deviceId)) acks.push(body);
  });
  await client.subscribeAsync([errorsTopic(deviceId), acksTopic(deviceId)], { qos: 1 });
  return { errors, acks, all };
}

export function closed(client: MqttClient): Promise<void> {
  return new Promise((r) => (client.connected ? client.once('close', () => r()) : r()));
}

/** A hub with its MQTT-over-WebSocket listener on as well, for suites that run on both transports. */
export async function startHubWithWebSocket(
  env: Record<string, string> = {},
): Promise<{ hub: HubProcess; api: ReturnType<typeof hubApi>; wsPort: number }> {
  const wsPort = await freePort();
  const hub = await startHub({ ...env, MQTT_WS_PORT: String(wsPort) });
  return { hub, api: hubApi(hub), wsPort };
}
