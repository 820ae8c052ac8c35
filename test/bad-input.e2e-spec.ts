import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Bad input for every operation of the REST API, generated from its own OpenAPI document
 * (GET /api/openapi.json), sent as the bootstrap admin: wrong types, nulls and missing required
 * fields per body property (nested ones included), U+0000, unpaired surrogates and huge strings
 * in every string property, query parameter and path id, malformed percent-encoding, deep
 * nesting, oversize bodies, wrong content types and empty bodies. Path ids are real (an
 * organisation, household, resident, bed, devices, an SOS alarm, a dispatch and a webhook are
 * created first) so each request reaches the code behind the route.
 *
 * Expected: no answer is a 5xx, and every validation answer (400, 413, 415) names what is wrong:
 * the property or parameter, or for whole-body problems the body / path / Content-Type.
 */
interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  method: string;
  template: string;
  parameters: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  body?: Schema;
}
interface Case {
  op: string;
  what: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  /** The answer must contain one of these (the field, parameter or reason). */
  names: string[];
}
interface Answer extends Case {
  status: number;
  text: string;
}

const HUGE = 'a'.repeat(20_000);
const NUL = 'bad\u0000text';
const LONE = 'bad\ud800text';
const BAD_ENCODING = '%E0%A4%A';
const SURROGATE_ENCODED = '%ED%A0%80'; // U+D800 as (invalid) UTF-8
const DEEP = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);

let hub: HubProcess;
let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
let button: MqttClient | undefined;
const ids: Record<string, string> = {};
const answers: Answer[] = [];

beforeAll(async () => {
  hub = await startHub();
  const api = hubApi(hub);
  doc = (await api.get('/api/openapi.json')).body;
  const { org, household, resident, bed, devices } = await api.provisionBed('bad input');
  const creds = devices.button.credentials as Creds;
  Object.assign(ids, {
    organisation: org.id,
    household: household.id,
    resident: resident.id,
    bed: bed.id,
    device: (devices.mattress.credentials as Creds).deviceId,
  });
  button = await connectDevice(hub.mqttUrl, creds);
  await button.publishAsync(
    eventsTopic(creds.deviceId),
    JSON.stringify({ eventId: 'sos-1', type: 'button.pressed', ts: Date.now() }),
    { qos: 1 },
  );
  ids.alarm = await waitFor(async () => (await api.get(`/api/alarms?bedId=${bed.id}`)).body[0]?.id, {
    what: 'SOS alarm',
  });
  ids.dispatch = (
    await api.post(`/api/alarms/${ids.alarm}/dispatches`, { responderType: 'keyholder', responderName: 'Son' })
  ).body.id;
  ids.webhook = (await api.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', organisationId: org.id })).body.id;
  ids.user = (
    await api.post('/api/users', {
      username: 'bad-input-target',
      password: 'copper kettle harbour',
      displayName: 'target',
      role: 'operator',
      organisationId: org.id,
    })
  ).body.id;
  ids.region = (await api.post('/api/regions', { organisationId: org.id, kind: 'district', name: 'district' })).body.id;
  ids.street = (
    await api.post('/api/regions', { organisationId: org.id, kind: 'street', parentId: ids.region, name: 'street' })
  ).body.id;
  ids.visit = (
    await api.post(`/api/residents/${resident.id}/visits`, {
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      reason: 'bad input',
    })
  ).body.id;
  for (const [k, v] of Object.entries(ids)) if (typeof v !== 'string') throw new Error(`setup: no ${k} id`);

  const cases = operations().flatMap(casesOf);
  await runAll(cases, 8);
}, 120_000);

afterAll(async () => {
  const byStatus: Record<number, number> = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  process.stdout.write(`bad-input: ${answers.length} requests, by status ${JSON.stringify(byStatus)}\n`);
  await button?.endAsync().catch(() => undefined);
  await hub?.dispose();
});

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [template, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      ops.push({
        method: method.toUpperCase(),
        template,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);

/** The real id a path parameter stands for, by its name or the collection before it. */
function pathId(template: string, name: string): string {
  if (name === 'alarmId') return ids.alarm;
  if (name === 'dispatchId') return ids.dispatch;
  if (name === 'bedId') return ids.bed;
  const collection = template.split('/')[2];
  const byCollection: Record<string, string> = {
    organisations: ids.organisation,
    households: ids.household,
    residents: ids.resident,
    beds: ids.bed,
    devices: ids.device,
    alarms: ids.alarm,
    webhooks: ids.webhook,
    users: ids.user,
    regions: ids.region,
    visits: ids.visit,
  };
  return byCollection[collection];
}

/** A plausible value for a property: real ids, enum members, examples, then by type. */
function sample(name: string, schema: Schema): unknown {
  const s = resolve(schema);
  const idFor: Record<string, string> = {
    organisationId: ids.organisation,
    householdId: ids.household,
    residentId: ids.resident,
    bedId: ids.bed,
    parentId: ids.region,
    districtId: ids.region,
    regionId: ids.street,
    streetId: ids.street,
  };
  if (idFor[name]) return idFor[name];
  if (s.enum) return s.enum[0];
  if (s.example !== undefined) return s.example;
  if (s.properties) return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, sample(k, v)]));
  switch (s.type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return s.items ? [sample(name, s.items)] : [];
    case 'object':
      return {};
    default: {
      const byName: Record<string, unknown> = {
        url: 'http://127.0.0.1:9/hook',
        until: new Date(Date.now() + 3_600_000).toISOString(),
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date().toISOString(),
        password: 'Correct-Horse-Battery-9',
        username: 'bad-input-user',
        timeZone: 'Asia/Shanghai',
      };
      return byName[name] ?? 'text';
    }
  }
}

/** Every property of a body schema, nested objects and array items included, with its JSON path. */
function properties(
  schema: Schema,
  path: (string | number)[] = [],
): { path: (string | number)[]; schema: Schema; required: boolean }[] {
  const s = resolve(schema);
  const props =
    s.properties ??
    (s.example && typeof s.example === 'object' && !Array.isArray(s.example)
      ? inferred(s.example as Record<string, unknown>)
      : {});
  const out: ReturnType<typeof properties> = [];
  for (const [name, raw] of Object.entries(props)) {
    const p = resolve(raw);
    out.push({ path: [...path, name], schema: p, required: (s.required ?? []).includes(name) });
    if (p.properties || (p.example && typeof p.example === 'object' && !Array.isArray(p.example)))
      out.push(...properties(p, [...path, name]));
    if (p.type === 'array' && p.items && resolve(p.items).properties)
      out.push(...properties(p.items, [...path, name, 0]));
  }
  return out;
}

/** Schemas inferred from an example, for free-form bodies (rule overrides) documented by example only. */
function inferred(example: Record<string, unknown>): Record<string, Schema> {
  return Object.fromEntries(
    Object.entries(example).map(([k, v]) => [
      k,
      v !== null && typeof v === 'object' ? { type: 'object', example: v } : { type: typeof v, example: v },
    ]),
  );
}

function withValue(base: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(base) as any;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

function wrongTypeFor(s: Schema): unknown {
  if (s.type === 'string' || s.enum) return 12345;
  if (s.type === 'number' || s.type === 'integer') return 'not a number';
  if (s.type === 'boolean') return 'not a boolean';
  if (s.type === 'array') return 'not an array';
  return 'not an object';
}

function casesOf(op: Operation): Case[] {
  const name = `${op.method} ${op.template}`;
  const pathOf = (overrides: Record<string, string> = {}) =>
    op.template.replace(/\{(\w+)\}/g, (_, p: string) => overrides[p] ?? encodeURIComponent(pathId(op.template, p)));
  const cases: Case[] = [];
  const add = (what: string, c: Omit<Case, 'op' | 'what' | 'method'>) =>
    cases.push({ op: name, what, method: op.method, ...c });
  const bodySchema = op.body && resolve(op.body);
  const base = bodySchema && sample('body', bodySchema);
  // Path and query cases send a plausible body, so that only the parameter is wrong.
  const withBase = base === undefined ? {} : { body: JSON.stringify(base), contentType: 'application/json' };

  add('an unknown query parameter with U+0000', { url: `${pathOf()}?probe=a%00b`, ...withBase, names: ['probe'] });
  add('an unknown query parameter with malformed percent-encoding', {
    url: `${pathOf()}?probe=${BAD_ENCODING}`,
    ...withBase,
    names: ['probe'],
  });

  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const real = encodeURIComponent(pathId(op.template, p.name));
    const names = [p.name, 'path'];
    add(`path ${p.name} with U+0000`, { url: pathOf({ [p.name]: `${real}%00` }), ...withBase, names });
    add(`path ${p.name} with malformed percent-encoding`, {
      url: pathOf({ [p.name]: `${real}${BAD_ENCODING}` }),
      ...withBase,
      names,
    });
    add(`path ${p.name} with an encoded lone surrogate`, {
      url: pathOf({ [p.name]: SURROGATE_ENCODED }),
      ...withBase,
      names,
    });
    add(`path ${p.name} not an id`, { url: pathOf({ [p.name]: 'not-an-id' }), ...withBase, names });
    add(`path ${p.name} huge`, { url: pathOf({ [p.name]: HUGE.slice(0, 8000) }), ...withBase, names });
  }

  for (const q of op.parameters.filter((x) => x.in === 'query')) {
    const s = resolve(q.schema ?? {});
    const url = (v: string) => `${pathOf()}?${encodeURIComponent(q.name)}=${v}`;
    const names = [q.name];
    add(`query ${q.name} with U+0000`, { url: url('a%00b'), ...withBase, names });
    add(`query ${q.name} with malformed percent-encoding`, { url: url(BAD_ENCODING), ...withBase, names });
    add(`query ${q.name} with an encoded lone surrogate`, { url: url(SURROGATE_ENCODED), ...withBase, names });
    add(`query ${q.name} huge`, { url: url(HUGE.slice(0, 8000)), ...withBase, names });
    const wrong =
      s.type === 'boolean'
        ? 'maybe'
        : s.type === 'number' || s.type === 'integer'
          ? 'abc'
          : s.type === 'array' || s.items
            ? 'bogus'
            : /Id$/.test(q.name)
              ? 'not-a-uuid'
              : /^(from|to)$/.test(q.name)
                ? 'yesterday'
                : undefined;
    if (wrong) add(`query ${q.name} of the wrong type (${wrong})`, { url: url(wrong), ...withBase, names });
  }

  const isWrite = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method);
  if (!isWrite) return cases;
  const url = pathOf();
  for (const [type, body] of [
    ['text/plain', '{"a":1}'],
    ['application/x-www-form-urlencoded', 'a=1'],
    ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--'],
  ]) {
    add(`body as ${type}`, { url, body, contentType: type, names: ['Content-Type'] });
  }
  add('body nested 5000 levels', { url, body: DEEP, contentType: 'application/json', names: ['body'] });
  add('body malformed JSON', { url, body: '{"a":', contentType: 'application/json', names: ['body'] });
  add('body of 300 KiB', {
    url,
    body: JSON.stringify({ a: 'x'.repeat(300 * 1024) }),
    contentType: 'application/json',
    names: ['larger than'],
  });
  for (const literal of ['null', '[]', '"text"', '42'])
    add(`body ${literal}`, { url, body: literal, contentType: 'application/json', names: ['body'] });
  if (!bodySchema) return cases;

  const required = bodySchema.required ?? [];
  const requiredNames = required.length ? required : Object.keys(bodySchema.properties ?? {});
  add('no body', { url, names: ['body', 'JSON object', ...requiredNames] });
  add('empty object', { url, body: '{}', contentType: 'application/json', names: ['body', ...requiredNames] });
  add('unknown property', {
    url,
    body: JSON.stringify({ ...(base as object), bogusField: 1 }),
    contentType: 'application/json',
    names: ['bogusField'],
  });
  add('property name with U+0000', {
    url,
    body: JSON.stringify({ ...(base as object), ['k\u0000']: 1 }),
    contentType: 'application/json',
    names: ['body'],
  });
  for (const prop of properties(bodySchema)) {
    const label = prop.path.join('.');
    const last = String(prop.path.filter((k) => typeof k === 'string').pop());
    const json = (v: unknown, remove = false) => JSON.stringify(withValue(base, prop.path, v, remove));
    const names = [last];
    add(`${label} of the wrong type`, {
      url,
      body: json(wrongTypeFor(prop.schema)),
      contentType: 'application/json',
      names,
    });
    add(`${label} null`, { url, body: json(null), contentType: 'application/json', names });
    if (prop.required)
      add(`${label} missing`, { url, body: json(undefined, true), contentType: 'application/json', names });
    if (prop.schema.type === 'string' || prop.schema.type === undefined) {
      add(`${label} with U+0000`, { url, body: json(NUL), contentType: 'application/json', names });
      add(`${label} with a lone surrogate`, { url, body: json(LONE), contentType: 'application/json', names });
      add(`${label} huge`, { url, body: json(HUGE), contentType: 'application/json', names });
    }
    if (prop.schema.type === 'number' || prop.schema.type === 'integer') {
      add(`${label} 1e20`, { url, body: json(1e20), contentType: 'application/json', names });
    }
  }
  return cases;
}

async function send(c: Case): Promise<Answer> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  try {
    const res = await fetch(hub.httpUrl + c.url, {
      method: c.method,
      headers: { authorization: hub.authHeader, ...(c.contentType && { 'content-type': c.contentType }) },
      body: c.body,
      signal: ctrl.signal,
    });
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      ctrl.abort(); // a stream that opened: nothing more to read
      return { ...c, status: res.status, text: '' };
    }
    return { ...c, status: res.status, text: await res.text() };
  } catch (err) {
    return { ...c, status: 599, text: `request failed: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

async function runAll(cases: Case[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length) answers.push(await send(cases[next++]));
    }),
  );
}

const show = (a: Answer) => `${a.op} | ${a.what} -> ${a.status} ${a.text.slice(0, 200)}`;

it('covers every operation of the OpenAPI document', () => {
  const covered = new Set(answers.map((a) => a.op));
  expect(
    operations()
      .filter((op) => !covered.has(`${op.method} ${op.template}`))
      .map((op) => `${op.method} ${op.template}`),
  ).toEqual([]);
  expect(answers.length).toBeGreaterThan(500);
});

it('answers no bad input with a 5xx', () => {
  expect(answers.filter((a) => a.status >= 500).map(show)).toEqual([]);
});

it('names the offending field or reason in every 400, 413 and 415', () => {
  // Whole words: `id` must not be found inside "Validation" or "uuid".
  const names = (a: Answer) =>
    a.names.some((n) =>
      new RegExp(`(^|[^A-Za-z0-9])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`).test(a.text),
    );
  const unnamed = answers.filter((a) => [400, 413, 415].includes(a.status) && !names(a));
  expect(unnamed.map(show)).toEqual([]);
});
