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
  /** This node's clock when the message arrived: the instant the rules evaluate the event at. */
  receivedAt: number;
  /** The database's clock when it was stored: what replays and reads of stored events follow. */
  storedAt?: number;
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

/** A call for help (CALL_FOR_HELP_EVENT_TYPES) as ingest heard it, stored or not. */
export interface CallForHelp {
  organisationId: string;
  deviceId: string;
  kind: DeviceKind;
  bedId: string | null;
  eventId: string;
  type: EventType;
  /** The device's time of the event. */
  ts: number;
  receivedAt: number;
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
  /**
   * A call for help that storage has not taken yet: slow (past a short bound), failing, or the
   * database known to be down. Sent again for each attempt (the device resends it unacknowledged).
   */
  readonly unstoredCall$ = new Subject<CallForHelp>();
  /** A call for help now stored, as a first delivery or as a redelivery. */
  readonly storedCall$ = new Subject<CallForHelp>();
}
