import {
  acksTopic,
  isUplink,
  parseDeviceTopic,
  devicePrefix,
  DOWNLINK_CHANNELS,
  type UplinkChannel,
} from '@bedside/contracts';

/** A device may publish only to its own uplink topics. Returns the channel, or null if denied. */
export function uplinkChannelFor(deviceId: string, topic: string): UplinkChannel | null {
  const parsed = parseDeviceTopic(topic);
  if (!parsed || parsed.deviceId !== deviceId || !isUplink(parsed.channel)) return null;
  return parsed.channel;
}

/**
 * A device may subscribe only to its own downlink topics, by exact name or with a trailing
 * wildcard inside its own prefix. `#`, `+` elsewhere and `$SYS/...` are refused (a `#` filter
 * does not match `$SYS` topics anyway, MQTT 3.1.1 §4.7.2, but a device has no business there).
 */
export function deviceMaySubscribe(deviceId: string, filter: string): boolean {
  const prefix = devicePrefix(deviceId);
  if (!filter.startsWith(prefix)) return false;
  const rest = filter.slice(prefix.length);
  if (rest === '#' || rest === '+') return true; // only its own downlinks and its own uplinks echoed back
  return (DOWNLINK_CHANNELS as readonly string[]).includes(rest);
}

/** Whether a filter the ACL allows delivers the device's `acks` topic. */
export function coversAcks(deviceId: string, filter: string): boolean {
  const prefix = devicePrefix(deviceId);
  return filter === acksTopic(deviceId) || filter === `${prefix}#` || filter === `${prefix}+`;
}
