import { DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import type { BedCredentials, DeviceCredentials } from '../hub/credentials';
import { DeviceClient, type DeviceClientOptions } from '../mqtt/device-client';
import { mapLimit, sleep } from '../util/sleep';

/** What connectDevices needs of a device's connection: DeviceClient, or the load's lean LoadDeviceConnection. */
export interface ConnectingClient {
  readonly deviceId: string;
  connect(): Promise<void>;
  subscribeDownlinks(): Promise<void>;
}

export interface SimDevice<C extends ConnectingClient = DeviceClient> {
  bedIndex: number;
  bed: BedCredentials;
  kind: DeviceKind;
  client: C;
}

export interface ConnectOptions<C extends ConnectingClient> {
  /** The connection of one device, e.g. deviceClients(options). */
  create: (credentials: DeviceCredentials, kind: DeviceKind) => C;
  perSecond?: number;
  kinds?: readonly DeviceKind[];
  onConnected?: (n: number, total: number) => void;
}

/** DeviceClients with these options (fleet, demo, the SOS probe's buttons). */
export const deviceClients = (o: DeviceClientOptions) => (credentials: DeviceCredentials, kind: DeviceKind) =>
  new DeviceClient(credentials, kind, o);

/**
 * One MQTT connection per device, opened at most `perSecond` a second (the hub throttles new
 * connections per address). Returns the devices that connected and the errors of those that did not.
 */
export async function connectDevices<C extends ConnectingClient>(
  beds: BedCredentials[],
  opts: ConnectOptions<C>,
): Promise<ConnectResult<C>> {
  const all: SimDevice<C>[] = beds.flatMap((bed, bedIndex) =>
    (opts.kinds ?? DEVICE_KINDS).map((kind) => ({ bedIndex, bed, kind, client: opts.create(bed.devices[kind], kind) })),
  );
  const perSecond = opts.perSecond ?? 100;
  const failures: { deviceId: string; error: Error }[] = [];
  const devices: SimDevice<C>[] = [];
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

export interface ConnectResult<C extends ConnectingClient> {
  devices: SimDevice<C>[];
  failures: { deviceId: string; error: Error }[];
}
