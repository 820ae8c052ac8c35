import type { Client } from 'aedes';
import type { DeviceKind } from '@bedside/contracts';

/** Who is behind an MQTT connection, fixed at login and refreshed when the device is rebound. */
export interface DeviceSession {
  deviceId: string;
  kind: DeviceKind;
  organisationId: string;
  bedId: string | null;
  remoteAddress: string;
  /** When the credentials were checked; a revocation after this ends the session. */
  authenticatedAt: number;
}

const sessions = new WeakMap<Client, DeviceSession>();

export const DeviceSessions = {
  attach(client: Client, session: DeviceSession): void {
    sessions.set(client, session);
  },
  of(client: Client | null | undefined): DeviceSession | undefined {
    return client ? sessions.get(client) : undefined;
  },
};
