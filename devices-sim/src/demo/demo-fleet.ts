import type { DeviceKind } from '@bedside/contracts';
import { connectDevices, deviceClients, type ConnectResult, type SimDevice } from '../fleet/connect-devices';
import { streamTelemetry } from '../fleet/stream-telemetry';
import type { BedCredentials } from '../hub/credentials';
import { createBedModels } from '../models/bed-models';
import type { SignalModel } from '../models/model.types';
import type { DeviceClient } from '../mqtt/device-client';
import { INCIDENTS, OverridableModel, restingInBed } from './demo-incidents';

/** Every device of the demo beds connected over MQTT (reconnecting), and those that could not. */
export function connectDemoFleet(creds: BedCredentials[], mqttUrl: string): Promise<ConnectResult<DeviceClient>> {
  return connectDevices(creds, { create: deviceClients({ mqttUrl, reconnect: true }) });
}

/**
 * The fleet online and streaming at one message per second per device, each device's signal
 * model wrapped so an incident can take it over; `stop` ends the streaming.
 */
export async function streamDemoFleet(
  devices: SimDevice[],
  seed: number,
): Promise<{ models: Map<SimDevice, OverridableModel>; stop: () => void }> {
  const models = new Map<SimDevice, OverridableModel>();
  const byBed = new Map<number, Record<DeviceKind, SignalModel>>();
  for (const d of devices) {
    if (!byBed.has(d.bedIndex)) byBed.set(d.bedIndex, createBedModels(seed, d.bedIndex, { utcOffsetMinutes: 480 }));
    models.set(d, new OverridableModel(byBed.get(d.bedIndex)![d.kind]));
  }
  // The bradycardia resident rests in bed from the start, so the mattress has vitals to watch.
  for (const inc of INCIDENTS.filter((i) => i.name === 'bradycardia')) {
    const d = devices.find((x) => x.bedIndex === inc.bedIndex && x.kind === 'mattress');
    if (d) models.get(d)!.fn = restingInBed;
  }
  await Promise.all(
    devices.map((d) =>
      d.client.publishStatus({
        state: 'online',
        ts: Date.now(),
        firmware: 'sim-1.0',
        rssi: -55,
        ...(d.kind !== 'mattress' && { battery: 90 }),
      }),
    ),
  );
  const stop = streamTelemetry(devices, models, 1, 1, () => undefined);
  return { models, stop };
}
