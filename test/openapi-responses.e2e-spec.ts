import Ajv, { type ValidateFunction } from 'ajv';
import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { buildTenant, signIn, type Api, type Tenant } from './tenant-fixture';

/**
 * The hub's OpenAPI document describes what its routes really answer: the console's types are
 * generated from it, so a described answer that differs from the wire would type the console
 * wrongly. Each route the console reads is called on a real hub and its JSON body validated
 * against the documented schema, closed (no undocumented field may appear).
 */
type Schema = Record<string, unknown>;
interface Doc {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

let hub: HubProcess;
let admin: Api;
let supervisor: Api;
let operator: Api;
let tenant: Tenant;
let doc: Doc;
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

/**
 * The schema as the wire must match it: objects closed unless they say otherwise, a nullable
 * enum accepting null (OpenAPI 3.0 `nullable`); references prefixed with `refBase` (`doc` from
 * outside the registered document).
 */
function strict(node: unknown, refBase: string): unknown {
  if (Array.isArray(node)) return node.map((n) => strict(n, refBase));
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = strict(v, refBase);
  if (typeof out.$ref === 'string') out.$ref = `${refBase}${out.$ref}`;
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  // A nullable nested DTO (@nestjs/swagger writes `nullable` beside `allOf: [$ref]`): null, or the DTO.
  if (out.nullable === true && out.allOf) {
    const { nullable: _nullable, ...dto } = out;
    return { anyOf: [{ type: 'null' }, dto] };
  }
  return out;
}

/** Asserts the answer has the documented status and a body matching that status' JSON schema. */
function expectDescribed(res: { status: number; body: unknown }, method: string, route: string, status: number): void {
  expect({ route: `${method.toUpperCase()} ${route}`, status: res.status }).toEqual({
    route: `${method.toUpperCase()} ${route}`,
    status,
  });
  const key = `${method} ${route} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const schema = doc.paths[route]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${key}: the document describes no JSON answer`);
    validate = ajv.compile(strict(schema, 'doc') as Schema);
    validators.set(key, validate);
  }
  if (!validate(res.body)) throw new Error(`${key}: ${ajv.errorsText(validate.errors)}`);
}

beforeAll(async () => {
  hub = await startHub();
  admin = hubApi(hub);
  tenant = await buildTenant(hub, admin, 'OAS');
  supervisor = hubApi({ httpUrl: hub.httpUrl, authHeader: await signIn(hub, tenant.users.supervisor.username) });
  operator = hubApi({ httpUrl: hub.httpUrl, authHeader: await signIn(hub, tenant.users.operator.username) });
  doc = (await admin.get('/api/openapi.json')).body as Doc;
  ajv.addSchema({ components: strict(doc.components, '') }, 'doc');
}, 120_000);

afterAll(async () => {
  await hub?.dispose();
});

describe('answers match the OpenAPI document', () => {
  it('sign-in and users', async () => {
    const res = await fetch(`${hub.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: tenant.users.operator.username,
        password: `${tenant.users.operator.username}-copper-kettle`,
      }),
    });
    expectDescribed({ status: res.status, body: await res.json() }, 'post', '/api/auth/login', 200);
    expectDescribed(await supervisor.get('/api/users'), 'get', '/api/users', 200);
    expectDescribed(await supervisor.get(`/api/users/${tenant.target.id}`), 'get', '/api/users/{id}', 200);
  });

  it('registry records', async () => {
    expectDescribed(await operator.get('/api/organisations'), 'get', '/api/organisations', 200);
    expectDescribed(await operator.get(`/api/households/${tenant.household.id}`), 'get', '/api/households/{id}', 200);
    expectDescribed(await operator.get(`/api/residents/${tenant.resident.id}`), 'get', '/api/residents/{id}', 200);
    expectDescribed(await operator.get(`/api/beds/${tenant.bed.id}`), 'get', '/api/beds/{id}', 200);
    expectDescribed(await operator.get('/api/beds'), 'get', '/api/beds', 200);
    expectDescribed(await supervisor.get('/api/regions'), 'get', '/api/regions', 200);
    expectDescribed(
      await supervisor.get(`/api/households/${tenant.household.id}/region`),
      'get',
      '/api/households/{id}/region',
      200,
    );
  });

  it('an alarm handled from the queue to its resolution', async () => {
    const id = tenant.alarm.id;
    expectDescribed(await operator.get('/api/alarms?state=raised,acknowledged'), 'get', '/api/alarms', 200);
    expectDescribed(await operator.get(`/api/alarms/${id}`), 'get', '/api/alarms/{id}', 200);
    expectDescribed(
      await operator.post(`/api/alarms/${id}/acknowledge`, {}),
      'post',
      '/api/alarms/{id}/acknowledge',
      200,
    );
    expectDescribed(
      await operator.post(`/api/alarms/${id}/notes`, { text: 'called the son' }),
      'post',
      '/api/alarms/{id}/notes',
      200,
    );
    expectDescribed(
      await operator.post(`/api/alarms/${id}/hold`, {
        until: new Date(Date.now() + 600_000).toISOString(),
        reason: 'son on his way',
      }),
      'post',
      '/api/alarms/{alarmId}/hold',
      200,
    );
    expectDescribed(await operator.post(`/api/alarms/${id}/hold/end`), 'post', '/api/alarms/{alarmId}/hold/end', 200);

    expectDescribed(await operator.get(`/api/alarms/${id}/dispatches`), 'get', '/api/alarms/{alarmId}/dispatches', 200);
    const dispatch = await operator.post(`/api/alarms/${id}/dispatches`, {
      responderType: 'ambulance',
      responderName: '120',
    });
    expectDescribed(dispatch, 'post', '/api/alarms/{alarmId}/dispatches', 201);
    expectDescribed(
      await operator.post(`/api/alarms/${id}/dispatches/${dispatch.body.id}/status`, { status: 'en_route' }),
      'post',
      '/api/alarms/{alarmId}/dispatches/{dispatchId}/status',
      201,
    );

    expectDescribed(
      await supervisor.put(`/api/organisations/${tenant.org.id}/action-plans/sos`, {
        steps: ['call the resident', 'call the key-holder'],
        responders: [{ name: '周丽', phone: '+86 24 2345 6789', type: 'community_worker' }],
      }),
      'put',
      '/api/organisations/{id}/action-plans/{kind}',
      200,
    );
    expectDescribed(
      await operator.get(`/api/organisations/${tenant.org.id}/action-plans`),
      'get',
      '/api/organisations/{id}/action-plans',
      200,
    );
    expectDescribed(await operator.get(`/api/alarms/${id}/call-list`), 'get', '/api/alarms/{alarmId}/call-list', 200);
    expectDescribed(
      await operator.post(`/api/alarms/${id}/calls`, {
        calleeType: 'responder',
        calleeName: '周丽',
        phone: '+86 24 2345 6789',
        outcome: 'no_answer',
      }),
      'post',
      '/api/alarms/{alarmId}/calls',
      201,
    );
    expectDescribed(await operator.get(`/api/alarms/${id}/call-list`), 'get', '/api/alarms/{alarmId}/call-list', 200);

    expectDescribed(
      await operator.post(`/api/alarms/${id}/resolve`, { outcome: 'assisted', note: 'all well' }),
      'post',
      '/api/alarms/{id}/resolve',
      200,
    );
    expectDescribed(
      await operator.get(`/api/history/alarms?residentId=${tenant.resident.id}`),
      'get',
      '/api/history/alarms',
      200,
    );
  });

  it('handover, wallboard and KPIs', async () => {
    const org = tenant.org.id;
    expectDescribed(
      await operator.get(`/api/organisations/${org}/handovers/draft`),
      'get',
      '/api/organisations/{id}/handovers/draft',
      200,
    );
    const written = await operator.post(`/api/organisations/${org}/handovers`, {
      summary: 'quiet night',
      followUps: [{ text: 'check the mattress sensor' }],
    });
    expectDescribed(written, 'post', '/api/organisations/{id}/handovers', 201);
    expectDescribed(
      await supervisor.post(`/api/organisations/${org}/handovers/${written.body.id}/acknowledge`),
      'post',
      '/api/organisations/{id}/handovers/{handoverId}/acknowledge',
      200,
    );
    expectDescribed(
      await operator.get(`/api/organisations/${org}/handovers`),
      'get',
      '/api/organisations/{id}/handovers',
      200,
    );
    expectDescribed(await supervisor.get('/api/wallboard?timeZone=Asia/Shanghai'), 'get', '/api/wallboard', 200);
    expectDescribed(await supervisor.get('/api/alarms/kpis'), 'get', '/api/alarms/kpis', 200);
  });

  it("a resident's histories and the supervision report", async () => {
    const resident = tenant.resident.id;
    expectDescribed(
      await operator.get(`/api/residents/${resident}/alarm-history`),
      'get',
      '/api/residents/{id}/alarm-history',
      200,
    );
    expectDescribed(
      await supervisor.get(`/api/residents/${resident}/timeline`),
      'get',
      '/api/residents/{id}/timeline',
      200,
    );
    const month = new Date().toISOString().slice(0, 7);
    expectDescribed(
      await supervisor.get(`/api/organisations/${tenant.org.id}/supervision-report?month=${month}`),
      'get',
      '/api/organisations/{id}/supervision-report',
      200,
    );
  });

  it('visits', async () => {
    expectDescribed(await supervisor.get(`/api/visits?organisationId=${tenant.org.id}`), 'get', '/api/visits', 200);
    expectDescribed(
      await supervisor.get(`/api/residents/${tenant.resident.id}/visits`),
      'get',
      '/api/residents/{id}/visits',
      200,
    );
    expectDescribed(
      await supervisor.post(`/api/visits/${tenant.visit.id}/assign`, { kind: 'worker', name: '李娜' }),
      'post',
      '/api/visits/{id}/assign',
      200,
    );
    expectDescribed(
      await operator.post(`/api/alarms/${tenant.alarm.id}/visits`, { note: '回访老人情况' }),
      'post',
      '/api/alarms/{alarmId}/visits',
      201,
    );
  });
});
