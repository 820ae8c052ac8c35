import type { ConnectPacket } from 'aedes';

/**
 * MQTT 3.1.1 checks aedes 1.x does not make on a CONNECT. Returns why the connection must be
 * closed without a CONNACK (§4.8: a protocol violation closes the network connection), or null.
 */
export function connectViolation(packet: ConnectPacket): string | null {
  const will = packet.will;
  if (!will) return null;
  // §3.1.2-14: Will QoS MUST NOT be 3.
  if (!(will.qos === 0 || will.qos === 1 || will.qos === 2)) return `Will QoS ${String(will.qos)} is not 0, 1 or 2`;
  // §3.1.3-10 with §4.7.1: the Will Topic is a topic name, where wildcards are not allowed.
  if (/[+#]/.test(will.topic)) return 'Will Topic contains a wildcard';
  if (will.topic.length === 0) return 'Will Topic is empty';
  return null;
}

/**
 * Keep alive 0 means "off" (§3.1.2.10) and any value up to 65535 s is legal; neither may be
 * refused (3.1.1 has no CONNACK code for it, §3.2.2.3). The hub still supervises every
 * connection: 0, or a value above its cap, is served as the cap (1.5 × that without a packet
 * ends the connection, §3.1.2-24).
 */
export function supervisedKeepAlive(requested: number, maxSeconds: number): number {
  return requested === 0 || requested > maxSeconds ? maxSeconds : requested;
}
