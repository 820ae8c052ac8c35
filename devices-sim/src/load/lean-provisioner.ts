import { randomUUID } from 'node:crypto';
import { credentialsFor, DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import { loadCredentials, type BedCredentials, type CredentialsFile, type DeviceCredentials } from '../hub/credentials';
import type { HubRestClient } from '../hub/hub-rest.client';
import { mapLimit } from '../util/sleep';

interface Created {
  id: string;
}

/** Where lean provisioning keeps its organisation and household between calls. */
export interface LeanFleetRoot {
  organisationId: string;
  householdId: string;
  run: string;
}

/**
 * Benchmark provisioning: one organisation and one household for the whole fleet, then per bed
 * only the bed and the devices of `kinds` (2 REST calls per bed for mattresses only, instead of
 * 7 for `provisionBeds`). Beds lack the kinds not asked for; use `loadLoadCredentials` to read them.
 */
export async function provisionLean(
  api: HubRestClient,
  count: number,
  o: {
    prefix?: string;
    kindsFor: (bedIndex: number) => readonly DeviceKind[];
    firstIndex?: number;
    root?: LeanFleetRoot;
    concurrency?: number;
    onBed?: (done: number) => void;
  },
): Promise<{ root: LeanFleetRoot; beds: BedCredentials[] }> {
  let root = o.root;
  if (!root) {
    const run = randomUUID().slice(0, 8);
    const org = await api.post<Created>('/api/organisations', { name: `bench ${o.prefix ?? 'load'} ${run}` });
    const household = await api.post<Created>('/api/households', {
      organisationId: org.id,
      name: `bench household ${run}`,
      address: '1 Benchmark Road',
      timeZone: 'Asia/Shanghai',
      contacts: [{ name: 'Bench Keyholder', phone: '+86 138 0000 0000', role: 'keyholder', callOrder: 1 }],
    });
    root = { organisationId: org.id, householdId: household.id, run };
  }
  const r = root;
  const first = o.firstIndex ?? 0;
  let done = 0;
  const beds = await mapLimit(
    Array.from({ length: count }, (_, i) => first + i),
    o.concurrency ?? 8,
    async (i) => {
      const label = `${o.prefix ?? 'load'}-${i + 1}`;
      const bed = await api.post<Created>('/api/beds', { householdId: r.householdId, label });
      const devices = {} as BedCredentials['devices'];
      for (const kind of o.kindsFor(i)) {
        const res = await api.post<{ credentials: DeviceCredentials }>('/api/devices', {
          organisationId: r.organisationId,
          kind,
          serial: `BENCH-${kind.slice(0, 1).toUpperCase()}-${r.run}-${i + 1}`,
          model: `bench ${kind}`,
          firmware: 'sim-1.0',
          bedId: bed.id,
        });
        devices[kind] = { ...res.credentials, kind };
      }
      o.onBed?.(++done);
      return { label, bedId: bed.id, devices };
    },
  );
  return { root: r, beds };
}

/**
 * Fake identities for brokers that accept any login (bare aedes, mosquitto): same id scheme,
 * topics and payloads as provisioned devices.
 */
export function fakeBeds(count: number, prefix = 'relay'): BedCredentials[] {
  return Array.from({ length: count }, (_, i) => {
    const devices = {} as BedCredentials['devices'];
    for (const kind of DEVICE_KINDS) {
      const deviceId = `${kind}-${prefix}-${i + 1}`;
      devices[kind] = { kind, ...credentialsFor(deviceId, 'any') };
    }
    return { label: `${prefix}-${i + 1}`, bedId: `bed-${prefix}-${i + 1}`, devices };
  });
}

/** A credentials file where beds may lack kinds the load does not use (lean provisioning). */
export function loadLoadCredentials(path: string, kinds: readonly DeviceKind[]): CredentialsFile {
  return loadCredentials(path, kinds);
}
