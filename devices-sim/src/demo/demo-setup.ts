import type { Output } from '../cli/output';
import { describeChange, putBedRules } from '../hub/bed-rules';
import type { BedCredentials } from '../hub/credentials';
import { HttpError, type HubRestClient } from '../hub/hub-rest.client';
import { provisionBeds } from '../hub/provisioner';
import { findScenario } from '../scenarios/scenario-catalog';
import { INCIDENTS } from './demo-incidents';
import { DEMO_OPERATOR } from './demo-operator';

/**
 * The demo organisation with its operator (reused from an earlier run in the same data folder),
 * its beds, and the shortened rules of the beds that get a scripted incident.
 */
export async function provisionDemo(
  api: HubRestClient,
  beds: number,
  out: Output,
): Promise<{ organisationId: string; creds: BedCredentials[] }> {
  // Reuse the demo organisation (and operator) of an earlier run in the same --data-dir.
  const users = await api.get<{ username: string; organisationId: string | null }[]>('/api/users');
  let orgId = users.find((u) => u.username === DEMO_OPERATOR.username)?.organisationId ?? null;
  if (!orgId) {
    orgId = (await api.post<{ id: string }>('/api/organisations', { name: 'Bedside demo' })).id;
    try {
      await api.post('/api/users', {
        username: DEMO_OPERATOR.username,
        password: DEMO_OPERATOR.password,
        displayName: DEMO_OPERATOR.displayName,
        role: 'operator',
        organisationId: orgId,
      });
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 409)) throw err;
      out.warn(`user ${DEMO_OPERATOR.username} already exists (not in a demo organisation): sign in as admin instead`);
    }
  }
  const creds = await provisionBeds(api, beds, 'demo', { organisationId: orgId });
  out.line(`provisioned ${creds.length} beds (${creds.length * 3} devices) in organisation "Bedside demo"`);
  out.record({ type: 'provisioned', beds: creds.length, devices: creds.length * 3, organisationId: orgId });

  for (const inc of INCIDENTS) {
    const def = inc.rulesFrom ? findScenario(inc.rulesFrom) : undefined;
    const override = def?.fastRules({ cancelled: false });
    const bed = creds[inc.bedIndex];
    if (!override || !bed.bedId) continue;
    const applied = await putBedRules(api, bed.bedId, override);
    out.line(`bed ${bed.label} (${inc.name}): PUT /api/beds/${bed.bedId}/rules ${JSON.stringify(override)}`);
    for (const c of applied.changed) out.line(`  changed ${describeChange(c)}`);
    out.record({ type: 'rules', bed: bed.label, bedId: bed.bedId, override, changed: applied.changed });
  }
  return { organisationId: orgId, creds };
}
