import type { DeviceStatusChange, StoredDeviceEvent } from '@bedside/ingest';
import type { TelemetryPoint } from '@bedside/telemetry';
import type { DeviceEventInput, DeviceStatusInput, RuleInput, RuleKind } from '@bedside/rules';

/** Telemetry sample -> rule input. Button samples only carry a battery level, which the rules take from a status. */
export function telemetryInput(p: TelemetryPoint): RuleInput {
  if (p.kind === 'mattress') {
    return {
      type: 'telemetry',
      deviceKind: 'mattress',
      deviceId: p.deviceId,
      ts: p.ts,
      heartRate: p.heartRate,
      respirationRate: p.respirationRate,
      inBed: p.inBed,
      movement: p.movement,
      signalQuality: p.signalQuality,
    };
  }
  if (p.kind === 'wearable') {
    return {
      type: 'telemetry',
      deviceKind: 'wearable',
      deviceId: p.deviceId,
      ts: p.ts,
      heartRate: p.heartRate,
      spo2: p.spo2,
      steps: p.steps,
      worn: p.worn,
      battery: p.battery,
      movement: p.movement,
      signalQuality: p.signalQuality,
    };
  }
  return {
    type: 'status',
    deviceId: p.deviceId,
    deviceKind: p.kind,
    ts: p.ts,
    online: true,
    battery: p.battery ?? null,
  };
}

/**
 * A message's samples in time order: the rules skip a sample older than one of its device already
 * evaluated, and some devices list a batch newest first. Copies only when out of order.
 */
export function inTimeOrder(points: readonly TelemetryPoint[]): readonly TelemetryPoint[] {
  for (let i = 1; i < points.length; i++) {
    if (points[i].ts < points[i - 1].ts) return [...points].sort((a, b) => a.ts - b.ts);
  }
  return points;
}

export function eventInput(
  e: Pick<StoredDeviceEvent, 'deviceId' | 'kind' | 'eventId' | 'type' | 'ts'>,
): DeviceEventInput {
  return { type: 'event', deviceId: e.deviceId, deviceKind: e.kind, eventId: e.eventId, event: e.type, ts: e.ts };
}

/**
 * Status -> rule input, or null when it says nothing the rules use. A broker-side disconnect is
 * ignored: a clean DISCONNECT is not an alarm, and a lost connection brings the Last Will (a status
 * without ts, per the contract) which counts at once; silence covers devices without a will.
 */
export function statusInput(s: DeviceStatusChange): DeviceStatusInput | null {
  const online = s.status.state === 'online';
  if (s.source === 'connection' && !online) return null;
  return {
    type: 'status',
    deviceId: s.deviceId,
    deviceKind: s.kind,
    online,
    ts: s.status.ts,
    lastWill: !online && s.source === 'status' && s.status.ts === undefined,
    battery: s.status.battery ?? null,
  };
}

/** Which alarm kind a device event can raise or update, for the device's acknowledgement. */
export function kindForEvent(type: StoredDeviceEvent['type']): RuleKind | null {
  if (type === 'button.pressed' || type === 'button.cancelled') return 'sos';
  if (type === 'fall.detected' || type === 'fall.cancelled') return 'fall';
  if (type === 'tamper') return 'tamper';
  return null;
}
