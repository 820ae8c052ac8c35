/**
 * MQTT topic layout, contract v1. Every topic the hub or devices-sim uses is built here so
 * the two can never drift. Device ids are restricted (see DEVICE_ID_PATTERN) so that they can
 * never contain the MQTT wildcards `+`/`#` or a level separator `/` (MQTT 3.1.1 §4.7.1).
 */
export const TOPIC_ROOT = 'bedside';
export const CONTRACT_VERSION = 'v1';
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

/** Messages a device sends. */
export const UPLINK_CHANNELS = ['telemetry', 'events', 'status'] as const;
export type UplinkChannel = (typeof UPLINK_CHANNELS)[number];

/** Messages the hub sends to one device. */
export const DOWNLINK_CHANNELS = ['errors', 'acks', 'commands'] as const;
export type DownlinkChannel = (typeof DOWNLINK_CHANNELS)[number];

export type Channel = UplinkChannel | DownlinkChannel;

export function devicePrefix(deviceId: string): string {
  return `${TOPIC_ROOT}/${CONTRACT_VERSION}/devices/${deviceId}/`;
}

export function deviceTopic(deviceId: string, channel: Channel): string {
  return devicePrefix(deviceId) + channel;
}

export const telemetryTopic = (deviceId: string) => deviceTopic(deviceId, 'telemetry');
export const eventsTopic = (deviceId: string) => deviceTopic(deviceId, 'events');
export const statusTopic = (deviceId: string) => deviceTopic(deviceId, 'status');
export const errorsTopic = (deviceId: string) => deviceTopic(deviceId, 'errors');
export const acksTopic = (deviceId: string) => deviceTopic(deviceId, 'acks');
export const commandsTopic = (deviceId: string) => deviceTopic(deviceId, 'commands');

/** Filter matching one channel of every device, for operators' tools (never for devices). */
export function allDevicesFilter(channel: Channel | '#' = '#'): string {
  return `${TOPIC_ROOT}/${CONTRACT_VERSION}/devices/+/${channel}`;
}

/** Filter matching everything one device sends and receives (for `devices-sim watch`). */
export function deviceFilter(deviceId: string): string {
  return devicePrefix(deviceId) + '#';
}

export interface ParsedDeviceTopic {
  deviceId: string;
  channel: Channel;
}

const CHANNELS: ReadonlySet<string> = new Set<string>([...UPLINK_CHANNELS, ...DOWNLINK_CHANNELS]);

/** Parses a concrete (wildcard-free) topic; returns null for anything outside the contract. */
export function parseDeviceTopic(topic: string): ParsedDeviceTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5) return null;
  const [root, version, devices, deviceId, channel] = parts;
  if (root !== TOPIC_ROOT || version !== CONTRACT_VERSION || devices !== 'devices') return null;
  if (!DEVICE_ID_PATTERN.test(deviceId) || !CHANNELS.has(channel)) return null;
  return { deviceId, channel: channel as Channel };
}

export function isUplink(channel: Channel): channel is UplinkChannel {
  return (UPLINK_CHANNELS as readonly string[]).includes(channel);
}
