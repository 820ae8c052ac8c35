import { eventsTopic } from '@bedside/contracts';
import { hubApi, waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice } from './mqtt-helpers';

export type Api = ReturnType<typeof hubApi>;
export const ROLES = ['admin', 'supervisor', 'operator', 'installer'] as const;
export type RoleName = (typeof ROLES)[number];

export const passwordOf = (username: string) => `${username}-copper-kettle`;

/** Signs in and answers the Authorization header of the new session. */
export async function signIn(hub: HubProcess, username: string, password = passwordOf(username)): Promise<string> {
  const res = await fetch(`${hub.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  return `Bearer ${token}`;
}

/**
 * One organisation with every kind of record the API can name: household, resident, bed, three
 * devices, a raised SOS alarm with a dispatch, a webhook, a district and street with the
 * household in it, a planned visit, a maintenance silence, rule overrides and one user of each role.
 */
export async function buildTenant(hub: HubProcess, admin: Api, label: string) {
  const bed = await admin.provisionBed(label);
  const users = {} as Record<RoleName, { id: string; username: string }>;
  for (const role of ROLES) {
    const username = `${role}-${label}`.toLowerCase();
    const r = await admin.post('/api/users', {
      username,
      password: passwordOf(username),
      displayName: `${role} ${label}`,
      role,
      organisationId: bed.org.id,
    });
    if (r.status !== 201) throw new Error(`user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    users[role] = { id: r.body.id, username };
  }
  const target = (
    await admin.post('/api/users', {
      username: `target-${label}`.toLowerCase(),
      password: passwordOf(`target-${label}`),
      displayName: `target ${label}`,
      role: 'operator',
      organisationId: bed.org.id,
    })
  ).body;

  const button = bed.devices.button.credentials;
  const client = await connectDevice(hub.mqttUrl, button);
  await client.publishAsync(
    eventsTopic(button.deviceId),
    JSON.stringify({ eventId: `sos-${label}`, type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  await client.endAsync();
  const alarm = await waitFor(
    async () =>
      (await admin.get(`/api/alarms?bedId=${bed.bed.id}`)).body.find((a: { kind: string }) => a.kind === 'sos'),
    { timeoutMs: 10_000 },
  );
  const dispatch = (
    await admin.post(`/api/alarms/${alarm.id}/dispatches`, {
      responderType: 'keyholder',
      responderName: `son of ${label}`,
    })
  ).body;
  const webhook = (await admin.post('/api/webhooks', { organisationId: bed.org.id, url: 'http://127.0.0.1:9/hook' }))
    .body;
  const region = (
    await admin.post('/api/regions', { organisationId: bed.org.id, kind: 'district', name: `district ${label}` })
  ).body;
  const street = (
    await admin.post('/api/regions', {
      organisationId: bed.org.id,
      kind: 'street',
      parentId: region.id,
      name: `street ${label}`,
    })
  ).body;
  await admin.put(`/api/households/${bed.household.id}/region`, { regionId: street.id });
  const visit = (
    await admin.post(`/api/residents/${bed.resident.id}/visits`, {
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      reason: `visit ${label}`,
    })
  ).body;
  await admin.put(`/api/organisations/${bed.org.id}/rules`, {
    bedExit: { nightWindow: { start: '21:30', end: '06:30' } },
  });
  await admin.put(`/api/beds/${bed.bed.id}/rules`, { heartRate: { major: { forMs: 90_000 } } });
  await admin.post(`/api/beds/${bed.bed.id}/silence`, {
    until: new Date(Date.now() + 86_400_000).toISOString(),
    reason: `maintenance ${label}`,
  });
  return {
    ...bed,
    users,
    target,
    alarm,
    dispatch,
    webhook,
    region,
    street,
    visit,
    /** Every id and unique name of this tenant, to look for in another tenant's answers. */
    markers: [
      bed.org.id,
      bed.household.id,
      bed.resident.id,
      bed.bed.id,
      alarm.id,
      dispatch.id,
      webhook.id,
      region.id,
      street.id,
      visit.id,
      target.id,
      ...Object.values(users).map((u) => u.id),
      ...Object.values(bed.devices).map((d) => d.device.id),
      `resident ${label}`,
      `household ${label}`,
      `son of ${label}`,
      `district ${label}`,
      `street ${label}`,
      `visit ${label}`,
    ],
  };
}
export type Tenant = Awaited<ReturnType<typeof buildTenant>>;
