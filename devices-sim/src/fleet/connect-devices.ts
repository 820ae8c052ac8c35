import { DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import type { BedCredentials } from '../hub/credentials';
import { DeviceClient, type DeviceClientOptions } from '../mqtt/device-client';
import { mapLimit, sleep } from '../util/sleep';

export interface SimDevice {
  bedIndex: number;
  bed: BedCredentials;
  kind: DeviceKind;
  client: DeviceClient;
}

/**
 * One MQTT connection per device, opened at most `perSecond` a second (the hub throttles new
 * connections per address). Returns the devices that connected and the errors of those that did not.
 */
export async function connectDevices(beds: BedCredentials[], opts: DeviceClientOptions & { perSecond?: number; kinds?: readonly DeviceKind[]; onConnected?: (n: number, total: number) => void }): Promise<{ devices: SimDevice[]; failures: { deviceId: string; error: Error }[] }> {
  const all: SimDevice[] = beds.flatMap((bed, bedIndex) => (opts.kinds ?? DEVICE_KINDS).map((kind) => ({ bedIndex, bed, kind, client: new DeviceClient(bed.devices[kind], kind, opts) })));
  const perSecond = opts.perSecond ?? 100;
  const failures: { deviceId: string; error: Error }[] = [];
  const devices: SimDevice[] = [];
  const t0 = Date.now();
  let n = 0;
  await mapLimit(all, 32, async (d, i) => {
    const due = t0 + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    try {
      await d.client.connect();
      await d.client.subscribeDownlinks();
      devices.push(d);
    } catch (error) {
      failures.push({ deviceId: d.client.deviceId, error: error as Error });
    }
    opts.onConnected?.(++n, all.length);
  });
  return { devices, failures };
}
