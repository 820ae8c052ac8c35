import type { DeviceCounters } from '../mqtt/device-client';
import type { SimDevice } from './connect-devices';

/** The devices' counters summed, with how many there are and how many are connected. */
export interface FleetStats extends DeviceCounters {
  devices: number;
  connected: number;
}

export function fleetStats(devices: SimDevice[]): FleetStats {
  const s: FleetStats = {
    devices: devices.length,
    connected: 0,
    sent: 0,
    acked: 0,
    failed: 0,
    errors: 0,
    acks: 0,
    reconnects: 0,
  };
  for (const d of devices) {
    const c = d.client.counters;
    if (d.client.connected) s.connected++;
    s.sent += c.sent;
    s.acked += c.acked;
    s.failed += c.failed;
    s.errors += c.errors;
    s.acks += c.acks;
    s.reconnects += c.reconnects;
  }
  return s;
}

export const statsLine = (s: FleetStats): string =>
  `connected ${s.connected}/${s.devices} | sent ${s.sent} | acked ${s.acked} | event acks ${s.acks} | errors ${s.errors} | failed ${s.failed} | reconnects ${s.reconnects}`;
