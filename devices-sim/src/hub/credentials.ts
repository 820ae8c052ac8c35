import { readFileSync, writeFileSync } from 'node:fs';
import { DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import { UsageError } from '../cli/exit-codes';

/** What POST /api/devices returns under `credentials`. */
export interface DeviceCredentials {
  deviceId: string;
  mqtt: {
    username: string;
    password: string;
    clientId: string;
    topics?: Record<string, string>;
    lastWill?: { topic: string; payload: string; qos: 0 | 1 | 2; retain: boolean };
  };
}

export interface BedCredentials {
  label: string;
  bedId: string | null;
  devices: Record<DeviceKind, DeviceCredentials & { kind: DeviceKind }>;
}

export interface CredentialsFile {
  version: 1;
  hub?: string;
  mqtt?: string;
  createdAt: string;
  beds: BedCredentials[];
}

export function saveCredentials(path: string, beds: BedCredentials[], hub: string, mqtt: string): void {
  const file: CredentialsFile = { version: 1, hub, mqtt, createdAt: new Date().toISOString(), beds };
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
}

export function loadCredentials(path: string): CredentialsFile {
  let file: CredentialsFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
  } catch (err) {
    throw new UsageError(`cannot read credentials file ${path}: ${(err as Error).message}`);
  }
  if (file?.version !== 1 || !Array.isArray(file.beds)) throw new UsageError(`${path} is not a devices-sim credentials file (version 1)`);
  for (const bed of file.beds) {
    for (const kind of DEVICE_KINDS) {
      const d = bed.devices?.[kind];
      if (!d?.deviceId || !d.mqtt?.password) throw new UsageError(`${path}: bed ${bed.label} lacks ${kind} credentials`);
    }
  }
  return file;
}

/** Credentials given on the command line (check): the same shape the hub hands out. */
export function manualCredentials(deviceId: string, secret: string): DeviceCredentials {
  return { deviceId, mqtt: { username: deviceId, password: secret, clientId: deviceId } };
}
