import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { buildTenant, ROLES, signIn, type Api, type RoleName, type Tenant } from './tenant-fixture';

/**
 * The declared access policy, checked over the real REST API: a role matrix generated from the
 * hub's own route table, and a walk over the OpenAPI document calling every operation as every
 * role of organisation A with organisation B's ids in the path, the query and the body.
 */
let hub: HubProcess;
let admin: Api;
let a: Tenant;
let b: Tenant;
const as = {} as Record<RoleName, string>;

interface DeclaredRoute {
  method: string;
  path: string;
  handler: string;
  public: boolean;
  access?: { permission: string; platform?: boolean };
  roles: string[] | 'anyone';
}
interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  bodySchema?: Schema;
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  example?: unknown;
  format?: string;
  items?: Schema;
  minimum?: number;
  minLength?: number;
}

beforeAll(async () => {
  // No escalation during the walk: B's alarm must change only if someone of A could change it.
  hub = await startHub({
    LOGIN_FAILURES_MAX: '50',
    DISPLAY_CONFIRM_TIMEOUT_MS: '600000',
    ALARM_ESCALATE_AFTER_MS: '600000',
  });
  admin = hubApi(hub);
  a = await buildTenant(hub, admin, 'A');
  b = await buildTenant(hub, admin, 'B');
  for (const role of ROLES) as[role] = await signIn(hub, a.users[role].username);
}, 120_000);

afterAll(async () => {
  await hub?.dispose();
});

/**
 * Calls without waiting for a stream's end: an SSE answer is read for `streamMs` (what it shows
 * at once), then dropped; 0 when only the status counts, which the headers already carry.
 */
async function call(
  authorization: string,
  method: string,
  path: string,
  body?: unknown,
  streamMs = 1000,
): Promise<{ status: number; text: string }> {
  const ctrl = new AbortController();
  const res = await fetch(hub.httpUrl + path, {
    method,
    signal: ctrl.signal,
    headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const reader = res.body!.getReader();
    let text = '';
    const until = Date.now() + streamMs;
    while (Date.now() < until) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), until - Date.now())),
      ]);
      if (!chunk || chunk.done) break;
      text += Buffer.from(chunk.value).toString();
    }
    ctrl.abort();
    return { status: res.status, text };
  }
  return { status: res.status, text: await res.text() };
}

/** Fills a route's path parameters with one tenant's ids, chosen by the collection the parameter follows. */
function fillPath(template: string, t: Tenant): string {
  const byCollection: Record<string, string> = {
    organisations: t.org.id,
    households: t.household.id,
    residents: t.resident.id,
    beds: t.bed.id,
    devices: t.devices.button.device.id,
    alarms: t.alarm.id,
    webhooks: t.webhook.id,
    users: t.target.id,
    dispatches: t.dispatch.id,
    regions: t.region.id,
    visits: t.visit.id,
  };
  const parts = template.split('/');
  return parts
    .map((part, i) => {
      const name = /^[:{](\w+)}?$/.exec(part)?.[1];
      if (!name) return part;
      if (name === 'bedId') return t.bed.id;
      if (name === 'alarmId') return t.alarm.id;
      if (name === 'dispatchId') return t.dispatch.id;
      if (name === 'kind') return 'sos'; // an alarm kind (action plans), not a record
      // No handover in the tenant: an unknown one must still be refused or 404 like any record.
      if (name === 'handoverId') return '00000000-0000-4000-8000-000000000000';
      const id = byCollection[parts[i - 1]];
      if (!id) throw new Error(`no id for ${name} in ${template}`);
      return id;
    })
    .join('/');
}

const ID_FIELDS = (t: Tenant): Record<string, string> => ({
  organisationId: t.org.id,
  householdId: t.household.id,
  residentId: t.resident.id,
  bedId: t.bed.id,
  deviceId: t.devices.button.device.id,
  alarmId: t.alarm.id,
  parentId: t.region.id,
  districtId: t.region.id,
  regionId: t.street.id,
  streetId: t.street.id,
});

describe('role matrix (generated from the declared route table)', () => {
  let routes: DeclaredRoute[];

  beforeAll(async () => {
    routes = (await admin.get<DeclaredRoute[]>('/api/access/routes')).body;
  });

  it('every route is public or declares a permission', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.public && !r.access)).toEqual([]);
    expect(
      routes
        .filter((r) => r.public)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['GET /health', 'GET /health/ready', 'GET /metrics', 'POST /api/auth/login'].sort());
  });

  it('answers 403 exactly to the roles the table leaves out', async () => {
    // Sign-out last: it ends the session the other calls use.
    const ordered = routes
      .filter((r) => !r.public)
      .sort((x, y) => Number(x.path === '/api/auth/logout') - Number(y.path === '/api/auth/logout'));
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const route of ordered) {
        const allowed = Array.isArray(route.roles) && route.roles.includes(role) && !route.access?.platform;
        const path = fillPath(route.path, a);
        const { status } = await call(
          as[role],
          route.method,
          path,
          ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined,
          0,
        );
        if (allowed === (status === 403))
          wrong.push(
            `${role} ${route.method} ${route.path}: ${status} (${allowed ? 'allowed' : 'refused'} by the table)`,
          );
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});

describe('organisation isolation over every OpenAPI operation', () => {
  let operations: Operation[];
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    const doc = (await admin.get('/api/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            requestBody?: { content?: Record<string, { schema: Schema }> };
          }
        >
      >;
      components: { schemas: Record<string, Schema> };
    };
    schemas = doc.components.schemas;
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      })),
    );
  });

  /** A plausible body for the schema, with every id field pointing at the other tenant. */
  function bodyFor(schema: Schema | undefined, t: Tenant): unknown {
    if (!schema) return undefined;
    const s = schema.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
    if (s.example !== undefined && !s.properties) return s.example;
    if (s.type === 'object' || s.properties) {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(s.properties ?? {}))
        out[name] = ID_FIELDS(t)[name] ?? sample(prop, name);
      return out;
    }
    return sample(s, 'body');
  }

  function sample(schema: Schema, name: string): unknown {
    const s = schema.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.format === 'date-time' || /until|from|to/.test(name))
      return new Date(Date.now() + (name === 'from' ? -3600_000 : 3600_000)).toISOString();
    if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
    if (s.type === 'boolean') return false;
    if (s.type === 'array') return [];
    if (s.type === 'object' || s.properties) return bodyFor(s, b);
    return `probe-${name}-long-enough-text`;
  }

  /** What B looks like to its platform administrator: compared before and after the walk. */
  async function snapshotOfB() {
    const get = async (path: string) => (await admin.get(path)).body;
    const strip = (d: { status?: unknown }) => ({ ...d, status: undefined });
    return {
      household: await get(`/api/households/${b.household.id}`),
      resident: await get(`/api/residents/${b.resident.id}`),
      bed: await get(`/api/beds/${b.bed.id}`).then((x) => ({ ...x, devices: x.devices.map(strip) })),
      devices: (await get(`/api/devices?organisationId=${b.org.id}`)).map(strip),
      orgRules: await get(`/api/organisations/${b.org.id}/rules/history`),
      bedRules: await get(`/api/beds/${b.bed.id}/rules/history`),
      silences: await get(`/api/beds/${b.bed.id}/silences`),
      alarm: (await get(`/api/alarms/${b.alarm.id}`)).alarm,
      dispatches: await get(`/api/alarms/${b.alarm.id}/dispatches`),
      webhooks: (await get('/api/webhooks')).filter((w: { organisationId: string }) => w.organisationId === b.org.id),
      users: (await get('/api/users')).filter((u: { organisationId: string }) => u.organisationId === b.org.id),
      regions: await get(`/api/regions?organisationId=${b.org.id}`),
      visits: await get(`/api/visits?organisationId=${b.org.id}`),
    };
  }

  it('no answer shows and no call changes organisation B, as any role of A', async () => {
    // Fresh sessions: the role matrix signed its own out.
    const sessions = {} as Record<RoleName, string>;
    for (const role of ROLES) sessions[role] = await signIn(hub, a.users[role].username);
    const before = await snapshotOfB();
    const leaks: string[] = [];
    let calls = 0;
    const ordered = operations.filter((o) => o.path !== '/api/auth/logout');
    for (const role of ROLES) {
      for (const op of ordered) {
        const query = op.parameters
          .filter((p) => p.in === 'query')
          .map((p) => [p.name, ID_FIELDS(b)[p.name] ?? (p.name === 'lastEventId' ? '0' : undefined)] as const)
          .filter(([, v]) => v !== undefined);
        const qs = query.length ? '?' + new URLSearchParams(query as [string, string][]).toString() : '';
        const path = fillPath(op.path, b) + qs;
        const body = bodyFor(op.bodySchema, b);
        const { status, text } = await call(sessions[role], op.method, path, body);
        calls++;
        if (status === 401 && op.path !== '/api/auth/login')
          leaks.push(`${role} ${op.method} ${path}: 401, the walk lost its session`);
        if (status >= 500) leaks.push(`${role} ${op.method} ${path}: ${status}`);
        // An id the caller sent may be echoed ("bed … not found"); anything else of B may not appear.
        const sent = path + JSON.stringify(body ?? null);
        if (op.path === '/api/audit' && status === 200) {
          // A's audit log records A's own attempts, B's ids included; it must hold nothing of B's own.
          const foreign = (JSON.parse(text) as { organisationId: string | null }[]).filter(
            (e) => e.organisationId !== a.org.id,
          );
          if (foreign.length) leaks.push(`${role} GET /api/audit: ${foreign.length} entries of another organisation`);
          continue;
        }
        const shown = b.markers.filter((m) => text.includes(m) && !sent.includes(m));
        if (shown.length) leaks.push(`${role} ${op.method} ${op.path}: ${status} shows ${shown.join(', ')}`);
      }
    }
    expect(calls).toBeGreaterThan(150);
    expect({ leaks, b: await snapshotOfB() }).toEqual({ leaks: [], b: before });
  }, 180_000);
});
