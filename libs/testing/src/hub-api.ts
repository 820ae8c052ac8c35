import type { HubProcess } from './hub-process';

/** Minimal REST client for tests: JSON in, JSON out, with the admin's credentials. */
export function hubApi(hub: Pick<HubProcess, 'httpUrl' | 'authHeader'>) {
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(hub.httpUrl + path, {
      method,
      headers: {
        authorization: hub.authHeader,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    call,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body ?? {}),
    /** Creates organisation -> household -> resident -> bed and provisions one device of each kind on it. */
    async provisionBed(label = 'test bed') {
      const org = (await call('POST', '/api/organisations', { name: `org ${label}` })).body;
      const household = (
        await call('POST', '/api/households', {
          organisationId: org.id,
          name: `household ${label}`,
          address: '1 Test Road',
          timeZone: 'Asia/Shanghai',
          contacts: [{ name: 'Son', phone: '+86 138 0000 0001', role: 'keyholder', callOrder: 1 }],
        })
      ).body;
      const resident = (
        await call('POST', '/api/residents', { householdId: household.id, name: `resident ${label}`, birthYear: 1940 })
      ).body;
      const bed = (await call('POST', '/api/beds', { householdId: household.id, residentId: resident.id, label })).body;
      const devices: Record<'mattress' | 'button' | 'wearable', { device: any; credentials: any }> = {} as any;
      for (const kind of ['mattress', 'button', 'wearable'] as const) {
        const r = await call('POST', '/api/devices', {
          organisationId: org.id,
          kind,
          serial: `${kind}-${label}-${Math.random().toString(36).slice(2)}`,
          model: 'T1',
          bedId: bed.id,
        });
        if (r.status !== 201) throw new Error(`provisioning failed: ${r.status} ${JSON.stringify(r.body)}`);
        devices[kind] = r.body;
      }
      return { org, household, resident, bed, devices };
    },
  };
}
