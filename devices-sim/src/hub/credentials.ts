import { readFileSync, writeFileSync } from 'node:fs';
import { credentialsFor, DEVICE_KINDS, type DeviceCredentials, type DeviceKind } from '@bedside/contracts';
import { UsageError } from '../cli/exit-codes';

export type { DeviceCredentials } from '@bedside/contracts';

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

/** Reads a credentials file; every bed must have credentials for each of `kinds`. */
export function loadCredentials(path: string, kinds: readonly DeviceKind[] = DEVICE_KINDS): CredentialsFile {
  let file: CredentialsFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
  } catch (err) {
    throw new UsageError(`cannot read credentials file ${path}: ${(err as Error).message}`);
  }
  if (file?.version !== 1 || !Array.isArray(file.beds))
    throw new UsageError(`${path} is not a devices-sim credentials file (version 1)`);
  for (const bed of file.beds) {
    for (const kind of kinds) {
      const d = bed.devices?.[kind];
      if (!d?.deviceId || !d.mqtt?.password)
        throw new UsageError(`${path}: bed ${bed.label} lacks ${kind} credentials`);
    }
  }
  return file;
}

/** Credentials given on the command line (check): the same shape the hub hands out. */
export const manualCredentials = credentialsFor;
