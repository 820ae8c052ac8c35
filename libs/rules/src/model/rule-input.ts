import type { RuleKind } from './rule-kind';

export type DeviceKind = 'mattress' | 'wearable' | 'button' | 'other';

/**
 * Fields shared by every message that comes from a device. `ts` is the device clock: for telemetry it is
 * the sample's own time, on which vital-sign holds are judged (absent: the evaluation's `now`); for
 * events and statuses it is kept for details only (timers run on the hub clock).
 */
interface FromDevice {
  deviceId: string;
  ts?: number;
}

export interface MattressTelemetryInput extends FromDevice {
  type: 'telemetry';
  deviceKind: 'mattress';
  heartRate?: number | null;
  respirationRate?: number | null;
  inBed?: boolean | null;
  movement?: number | null;
  /** 0..100; below the rule set's minimum, vital signs from this sample are ignored. */
  signalQuality?: number | null;
}

export interface WearableTelemetryInput extends FromDevice {
  type: 'telemetry';
  deviceKind: 'wearable';
  heartRate?: number | null;
  spo2?: number | null;
  steps?: number | null;
  worn?: boolean | null;
  /** Percent. */
  battery?: number | null;
  /** Accelerometer activity (0..100): "no movement after a fall", and SpO2 measured in motion is ignored. */
  movement?: number | null;
  /** 0..100, the optical (PPG) signal: low at poor perfusion or a loose fit; SpO2 needs more than other readings. */
  signalQuality?: number | null;
}

export type TelemetryInput = MattressTelemetryInput | WearableTelemetryInput;

export const DEVICE_EVENT_TYPES = [
  'button.pressed',
  'button.cancelled',
  'fall.detected',
  'fall.cancelled',
  'bed.exit',
  'bed.return',
  'wearable.worn',
  'wearable.removed',
  'tamper',
] as const;
export type DeviceEventType = (typeof DEVICE_EVENT_TYPES)[number];

export interface DeviceEventInput extends FromDevice {
  type: 'event';
  event: DeviceEventType;
  deviceKind?: DeviceKind;
  /** Device event id: a redelivered event with a seen id is ignored (QoS 1 may deliver twice). */
  eventId?: string;
  /** fall.detected only: the wearable already knows the wearer is motionless. */
  motionless?: boolean;
}

export interface DeviceStatusInput extends FromDevice {
  type: 'status';
  online: boolean;
  deviceKind?: DeviceKind;
  /** The offline status came from the MQTT Last Will. */
  lastWill?: boolean;
  battery?: number | null;
}

/** Time passed with no message; lets hold timers, offline and cancel windows fire. */
export interface TickInput {
  type: 'tick';
}

/** Maintenance silence for the bed until `until` (ms epoch); `null` ends it early. */
export interface SilenceInput {
  type: 'silence';
  until: number | null;
  actor?: string;
  note?: string;
}

/**
 * The alarm for an episode was resolved by an operator. Event kinds (SOS, fall, tamper) close their
 * episode so the next press raises a new alarm; condition kinds stay muted until the condition clears.
 */
export interface AlarmResolvedInput {
  type: 'alarm.resolved';
  kind: RuleKind;
  subject?: string | null;
  /** When given, ignored unless it matches the current episode (a stale resolve must not close a newer one). */
  key?: string;
}

/**
 * The device no longer belongs to this bed (unbound, moved to another bed, revoked): forget it, so
 * its silence does not read as "offline" here, and clear the alarms that were about it.
 */
export interface DeviceRemovedInput {
  type: 'device.removed';
  deviceId: string;
}

/**
 * The device was heard from at `at` on a path that did not reach this evaluation (another hub
 * received its messages and stored the instant): its silence is measured from there. Evaluated
 * at `at` (timers due later fire after it); never brings an offline device back, and never moves
 * the instant back.
 */
export interface DeviceSeenInput {
  type: 'device.seen';
  deviceId: string;
  at: number;
}

export type RuleInput =
  | TelemetryInput
  | DeviceEventInput
  | DeviceStatusInput
  | TickInput
  | SilenceInput
  | AlarmResolvedInput
  | DeviceRemovedInput
  | DeviceSeenInput;
