import { randomUUID } from 'node:crypto';
import { DEVICE_KINDS } from '@bedside/contracts';
import { mapLimit } from '../util/sleep';
import type { BedCredentials, DeviceCredentials } from './credentials';
import type { HubRestClient } from './hub-rest.client';

export interface ProvisionOptions {
  /** IANA zone of the household (the night window of bed-exit rules is local). */
  timeZone?: string;
  /** Provision into this organisation instead of creating one. */
  organisationId?: string;
  concurrency?: number;
  onBed?: (done: number, total: number) => void;
}

interface Created {
  id: string;
}

/** Creates organisation, then per bed: household, resident, bed and one device of each kind. */
export async function provisionBeds(
  api: HubRestClient,
  count: number,
  prefix: string,
  opts: ProvisionOptions = {},
): Promise<BedCredentials[]> {
  const run = randomUUID().slice(0, 8);
  const org = opts.organisationId
    ? { id: opts.organisationId }
    : await api.post<Created>('/api/organisations', { name: `devices-sim ${prefix} ${run}` });
  let done = 0;
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    opts.concurrency ?? 8,
    async (i) => {
      const label = `${prefix}-${i + 1}`;
      const household = await api.post<Created>('/api/households', {
        organisationId: org.id,
        name: `sim household ${label}`,
        address: `${i + 1} Simulation Road`,
        timeZone: opts.timeZone ?? 'Asia/Shanghai',
        contacts: [{ name: 'Sim Keyholder', phone: '+86 138 0000 0000', role: 'keyholder', callOrder: 1 }],
      });
      const resident = await api.post<Created>('/api/residents', {
        householdId: household.id,
        name: `Sim Resident ${label}`,
        birthYear: 1938 + (i % 15),
      });
      const bed = await api.post<Created>('/api/beds', { householdId: household.id, residentId: resident.id, label });
      const devices = {} as BedCredentials['devices'];
      for (const kind of DEVICE_KINDS) {
        const r = await api.post<{ credentials: DeviceCredentials }>('/api/devices', {
          organisationId: org.id,
          kind,
          serial: `SIM-${kind.slice(0, 1).toUpperCase()}-${run}-${i + 1}`,
          model: `devices-sim ${kind}`,
          firmware: 'sim-1.0',
          bedId: bed.id,
        });
        devices[kind] = { ...r.credentials, kind };
      }
      opts.onBed?.(++done, count);
      return { label, bedId: bed.id, devices };
    },
  );
}
