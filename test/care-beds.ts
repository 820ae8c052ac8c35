import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import type { hubApi } from '@bedside/testing';
import type { WellnessSample } from '../libs/wellness/src/domain/night-summary';
import { syntheticNight, type SyntheticNight } from '../libs/wellness/src/testing/night-fixture';
import { connectDevice, type Creds } from './mqtt-helpers';

type Api = ReturnType<typeof hubApi>;
export type DeviceCreds = Record<'mattress' | 'button' | 'wearable', Creds>;

/** A household, resident and bed with a mattress, a button and a wearable, in an existing organisation. */
export async function addCareBed(api: Api, organisationId: string, label: string, timeZone: string) {
  const created = async <T = { id: string }>(path: string, body: unknown): Promise<T> => {
    const r = await api.post<T>(path, body);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const household = await created('/api/households', {
    organisationId,
    name: `${label}家`,
    address: `${label}路 1 号`,
    timeZone,
    contacts: [{ name: '儿子', phone: '+86 138 0000 0001', role: 'keyholder', callOrder: 1 }],
  });
  const resident = await created<{ id: string; name: string }>('/api/residents', {
    householdId: household.id,
    name: label,
    birthYear: 1940,
  });
  const bed = await created<{ id: string; createdAt: string }>('/api/beds', {
    householdId: household.id,
    residentId: resident.id,
    label,
  });
  const creds = {} as DeviceCreds;
  for (const kind of ['mattress', 'button', 'wearable'] as const) {
    const r = await created<{ credentials: Creds }>('/api/devices', {
      organisationId,
      kind,
      serial: `${kind}-${label}-${Math.random().toString(36).slice(2)}`,
      model: 'T1',
      bedId: bed.id,
    });
    creds[kind] = r.credentials;
  }
  return { household, resident, bed, creds };
}

const FIELDS = {
  mattress: ['ts', 'inBed', 'heartRate', 'respirationRate', 'movement', 'signalQuality'],
  wearable: ['ts', 'worn', 'heartRate', 'spo2'],
} as const;
const wire = (samples: WellnessSample[], kind: 'mattress' | 'wearable') =>
  samples
    .filter((s) => s.kind === kind)
    .map((s) => Object.fromEntries(FIELDS[kind].filter((f) => s[f] !== undefined).map((f) => [f, s[f]])));

/**
 * Sends a bed's nights as its devices would send a buffer after being offline: past samples
 * every five minutes, 300 per message; the clients are left connected (pushed to `clients`).
 */
export async function streamBedNights(
  mqttUrl: string,
  creds: DeviceCreds,
  nights: SyntheticNight[],
  clients: MqttClient[],
) {
  for (const kind of ['mattress', 'wearable'] as const) {
    const client = await connectDevice(mqttUrl, creds[kind]);
    clients.push(client);
    let seq = 0;
    for (const n of nights) {
      const samples = wire(
        syntheticNight({
          intervalMs: 5 * 60_000,
          wearable: { deviceId: 'w', from: '22:30', to: '06:30', spo2: 96 },
          ...n,
        }),
        kind,
      );
      for (let i = 0; i < samples.length; i += 300)
        await client.publishAsync(
          telemetryTopic(creds[kind].deviceId),
          JSON.stringify({ ts: Date.now(), seq: ++seq, samples: samples.slice(i, i + 300) }),
          { qos: 1 },
        );
    }
  }
}
