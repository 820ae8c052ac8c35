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
 * What ingest has durably stored, as in-process streams for the rules engine and live views.
 * Each item is emitted once, after it is stored; redeliveries are not re-emitted.
 */
@Injectable()
export class IngestEvents {
  readonly telemetry$ = new Subject<TelemetryPoint[]>();
  readonly events$ = new Subject<StoredDeviceEvent>();
  readonly status$ = new Subject<DeviceStatusChange>();
}
