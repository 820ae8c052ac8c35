import { requireAdmin, type CommonOptions } from '../cli/common-options';
import { UsageError } from '../cli/exit-codes';
import type { Output } from '../cli/output';
import { loadCredentials, saveCredentials, type BedCredentials } from '../hub/credentials';
import { HubRestClient } from '../hub/hub-rest.client';
import { provisionBeds } from '../hub/provisioner';

export interface ObtainOptions {
  beds: number;
  credentials?: string;
  saveCredentials?: string;
  prefix: string;
  timeZone?: string;
}

/** Beds from a credentials file, or provisioned now through the REST API (then optionally saved). */
export async function obtainBeds(common: CommonOptions, o: ObtainOptions, out: Output): Promise<BedCredentials[]> {
  if (o.credentials) {
    const file = loadCredentials(o.credentials);
    if (file.beds.length < o.beds)
      throw new UsageError(`${o.credentials} holds ${file.beds.length} beds, ${o.beds} asked for`);
    out.line(`using ${o.beds} of ${file.beds.length} beds from ${o.credentials}`);
    return file.beds.slice(0, o.beds);
  }
  const api = new HubRestClient(common.hub, requireAdmin(common, 'provisioning beds (no --credentials file)'));
  const bar = out.bar('provisioning {bar} {value}/{total} beds', o.beds);
  const t0 = Date.now();
  const beds = await provisionBeds(api, o.beds, o.prefix, { timeZone: o.timeZone, onBed: (done) => bar?.update(done) });
  bar?.stop();
  out.line(`provisioned ${beds.length} beds (${beds.length * 3} devices) via ${common.hub} in ${Date.now() - t0} ms`);
  out.record({ type: 'provisioned', beds: beds.length, devices: beds.length * 3, durationMs: Date.now() - t0 });
  if (o.saveCredentials) {
    saveCredentials(o.saveCredentials, beds, common.hub, common.mqtt);
    out.line(`credentials written to ${o.saveCredentials}`);
  }
  return beds;
}
