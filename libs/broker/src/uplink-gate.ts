import type { UplinkChannel } from '@bedside/contracts';
import type { DeviceSession } from './device-session';

export type QuotaShortfall = 'messages' | 'bytes';

/**
 * The inbound quota as the connection's read path sees it (ingest provides it): what a device
 * sends beyond its quota is refused from the raw bytes, before aedes parses, relays or hands it
 * to ingest.
 */
export interface UplinkGate {
  /**
   * What a device may still send now: whole messages and payload bytes (charging nothing: what
   * passes is charged by ingest); null when no quota applies to it.
   */
  allowance(session: DeviceSession): { messages: number; bytes: number } | null;
  /** Counts `count` messages on `channel` as refused for `shortfall`: metrics, the device's rejection record, `RATE_LIMITED` at most every few seconds. */
  refuse(session: DeviceSession, channel: UplinkChannel, shortfall: QuotaShortfall, count: number): void;
  /** How long the hub reads nothing more from a connection after refusing what it read. */
  readonly holdMs: number;
}
