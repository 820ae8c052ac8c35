import type { DeviceKind, UplinkChannel } from '@bedside/contracts';

/** One uplink message of the watched device, rebuilt as the device sent it (contract shape). */
export interface WatchedMessage {
  channel: UplinkChannel;
  /** Contract payload, as sent (or rebuilt from what the hub stored). */
  body: Record<string, unknown>;
  seq: number | null;
  deviceTs: number | null;
  /** When the hub received it, if the source knows; else null. */
  receivedAt: number | null;
  /** When this tool saw it. */
  observedAt: number;
}

export interface WatchTarget {
  deviceId: string;
  kind: DeviceKind;
  bedId: string | null;
}

/**
 * Where `watch` gets a device's traffic. Today: polling the REST API (RestWatchSource). An MQTT
 * source (subscribing to deviceFilter(id) once admins may subscribe) implements the same interface.
 */
export interface WatchSource {
  readonly name: string;
  /** Resolves the device and starts delivering; `onMessage` may be called many times per poll. */
  start(onMessage: (m: WatchedMessage) => void, onError: (err: Error) => void): Promise<WatchTarget>;
  stop(): void;
}
