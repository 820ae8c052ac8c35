import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { DeviceKind, DeviceStatusDto, EventType } from '@bedside/contracts';
import type { TelemetryPoint } from '@bedside/telemetry';

export interface StoredDeviceEvent {
  deviceId: string;
  kind: DeviceKind;
  bedId: string | null;
  eventId: string;
  type: EventType;
  ts: number;
  receivedAt: number;
  seq?: number;
  confidence?: number;
}

export interface DeviceStatusChange {
  deviceId: string;
  kind: DeviceKind;
  bedId: string | null;
  status: DeviceStatusDto;
  /** 'status' = the device's own message (or its Last Will); 'connection' = the broker saw it come or go. */
  source: 'status' | 'connection';
  at: number;
}

/**
 * What ingest accepted, as in-process streams for the rules engine and live views. Events and
 * status are emitted once, after they are stored (an alarm never rests on an event that could
 * be lost), redeliveries not re-emitted. Telemetry is emitted as soon as it is validated, while
 * its batch is still on the way to storage: readings are idempotent for the rules (a
 * retransmission after a failed store repeats a sample), and evaluating them on arrival spreads
 * the work evenly instead of in a burst each time a storage batch lands.
 */
@Injectable()
export class IngestEvents {
  readonly telemetry$ = new Subject<TelemetryPoint[]>();
  readonly events$ = new Subject<StoredDeviceEvent>();
  readonly status$ = new Subject<DeviceStatusChange>();
}
