import type { MqttClient } from 'mqtt';
import { scrape } from '@bedside/testing';
import { connectDevice, startHubWithWebSocket, type Creds } from './mqtt-helpers';
import { rawDevice, type RawMqtt, type RawTransport } from './raw-mqtt';

/**
 * Per-device inbound quotas small enough to exceed in a test: a few messages a second, and a
 * byte quota that ~100 KB messages exceed long before the messages run out (a refused message
 * takes nothing from the quota).
 */
export const THROTTLE = {
  messagesPerS: 5,
  messageBurst: 10,
  bytesPerS: 16 * 1024,
  byteBurst: 256 * 1024,
} as const;

export type ThrottledHub = Awaited<ReturnType<typeof startThrottledHub>>;

/**
 * A hub under THROTTLE on TCP and WebSocket alike, which closes the connections made through it
 * when disposed.
 */
export async function startThrottledHub() {
  const { hub, api, wsPort } = await startHubWithWebSocket({
    MQTT_DEVICE_MESSAGES_PER_S: String(THROTTLE.messagesPerS),
    MQTT_DEVICE_MESSAGE_BURST: String(THROTTLE.messageBurst),
    MQTT_DEVICE_BYTES_PER_S: String(THROTTLE.bytesPerS),
    MQTT_DEVICE_BYTE_BURST: String(THROTTLE.byteBurst),
    // Room for messages larger than a socket read, within the byte burst.
    MQTT_MAX_PACKET_BYTES: String(THROTTLE.byteBurst),
  });
  const clients: MqttClient[] = [];
  const raws: RawMqtt[] = [];
  const port = (transport: RawTransport) => (transport === 'tcp' ? hub.mqttPort : wsPort);
  const url = (transport: RawTransport) => (transport === 'tcp' ? hub.mqttUrl : `ws://127.0.0.1:${wsPort}/mqtt`);
  return {
    hub,
    api,
    port,
    url,
    /** Sum of the samples of a counter (over all its labels unless given). */
    metric: async (name: string, labels?: Record<string, string>) => (await scrape(hub.httpUrl))(name, labels),
    /** A device on the client library devices use. */
    connect: async (transport: RawTransport, creds: Creds) => {
      const client = await connectDevice(url(transport), creds);
      clients.push(client);
      return client;
    },
    /** A device speaking raw MQTT (see rawDevice). */
    rawDevice: async (transport: RawTransport, creds: Creds, connect?: Record<string, unknown>) => {
      const device = await rawDevice(transport, port(transport), creds, connect);
      raws.push(device.raw);
      return device;
    },
    dispose: async () => {
      clients.forEach((c) => c.end(true));
      raws.forEach((r) => r.destroy());
      await hub.dispose();
    },
  };
}
