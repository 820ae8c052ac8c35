import { hubApi, startHub, type HubProcess } from '@bedside/testing';

/** Users, sessions, roles and organisation isolation over the real REST API. */
let hub: HubProcess;
let admin: ReturnType<typeof hubApi>;
let bedA: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;
let bedB: Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;

const asToken = (token: string) => hubApi({ httpUrl: hub.httpUrl, authHeader: `Bearer ${token}` });

async function login(username: string, password: string) {
  const res = await fetch(`${hub.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  hub = await startHub({ LOGIN_FAILURES_MAX: '3' });
  admin = hubApi(hub);
  bedA = await admin.provisionBed('A');
  bedB = await admin.provisionBed('B');
  for (const [username, role, org] of [
    ['op-a', 'operator', bedA.org.id],
    ['sup-a', 'supervisor', bedA.org.id],
    ['inst-a', 'installer', bedA.org.id],
    ['op-b', 'operator', bedB.org.id],
  ] as const) {
    const r = await admin.post('/api/users', {
      username,
      password: `${username}-copper-kettle`,
      displayName: username,
      role,
      organisationId: org,
    });
    expect(r.status).toBe(201);
  }
}, 90_000);

afterAll(async () => {
  await hub?.dispose();
});

describe('sessions', () => {
  it('logs in, answers /me, and logs out for good', async () => {
    const { status, body } = await login('op-a', 'op-a-copper-kettle');
    expect(status).toBe(200);
    expect(body.user).toEqual(
      expect.objectContaining({ username: 'op-a', role: 'operator', organisationId: bedA.org.id }),
    );
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    const api = asToken(body.token);
    expect((await api.get('/api/auth/me')).body).toEqual(
      expect.objectContaining({ username: 'op-a', displayName: 'op-a', role: 'operator', organisationId: bedA.org.id }),
    );
    expect((await api.post('/api/auth/logout')).status).toBe(204);
    expect((await api.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses a wrong password, unknown users alike, and throttles repeated failures', async () => {
    expect((await login('op-b', 'wrong')).status).toBe(401);
    expect((await login('nobody', 'wrong')).body.message).toBe('wrong username or password');
    expect((await login('op-b', 'wrong')).status).toBe(401);
    expect((await login('op-b', 'wrong')).status).toBe(401); // third failure: LOGIN_FAILURES_MAX=3 reached
    expect((await login('op-b', 'wrong')).status).toBe(429);
    expect((await login('op-b', 'op-b-copper-kettle')).status).toBe(429); // even the right password waits out the window
  }, 30_000); // six password checks (scrypt) on a machine running other suites: past Jest's 5 s default

  it('refuses requests without credentials and with a made-up token', async () => {
    expect((await fetch(`${hub.httpUrl}/api/beds`)).status).toBe(401);
    expect((await asToken('made-up').get('/api/beds')).status).toBe(401);
  });

  it('validates the login body', async () => {
    const res = await fetch(`${hub.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: '' }),
    });
    expect(res.status).toBe(400);
  });
});

describe('roles', () => {
  it('an operator cannot provision devices or create users (403)', async () => {
    const op = asToken((await login('op-a', 'op-a-copper-kettle')).body.token);
    expect(
      (await op.post('/api/devices', { organisationId: bedA.org.id, kind: 'button', serial: 'x-1', model: 'B' }))
        .status,
    ).toBe(403);
    expect(
      (
        await op.post('/api/users', {
          username: 'evil',
          password: 'evil-copper-kettle',
          displayName: 'e',
          role: 'admin',
        })
      ).status,
    ).toBe(403);
  });

  it('an installer provisions devices in its own organisation only', async () => {
    const inst = asToken((await login('inst-a', 'inst-a-copper-kettle')).body.token);
    expect(
      (
        await inst.post('/api/devices', {
          organisationId: bedA.org.id,
          kind: 'button',
          serial: `inst-${Date.now()}`,
          model: 'B',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await inst.post('/api/devices', {
          organisationId: bedB.org.id,
          kind: 'button',
          serial: `inst-b-${Date.now()}`,
          model: 'B',
        })
      ).status,
    ).toBe(404);
  });

  it('a supervisor creates operators but not supervisors or admins', async () => {
    const sup = asToken((await login('sup-a', 'sup-a-copper-kettle')).body.token);
    expect(
      (
        await sup.post('/api/users', {
          username: 'op-a2',
          password: 'op-a2-copper-kettle',
          displayName: 'x',
          role: 'operator',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await sup.post('/api/users', {
          username: 'sup-a2',
          password: 'sup-a2-copper-kettle',
          displayName: 'x',
          role: 'supervisor',
        })
      ).status,
    ).toBe(403);
  });
});

describe('refused creates', () => {
  it('a provisioning refused for its bed leaves no device behind: the retry succeeds', async () => {
    const serial = `refused-${Date.now()}`;
    const body = { organisationId: bedA.org.id, kind: 'button', serial, model: 'B1' };
    expect((await admin.post('/api/devices', { ...body, bedId: '00000000-0000-4000-8000-000000000000' })).status).toBe(
      404,
    );
    expect((await admin.post('/api/devices', { ...body, bedId: bedB.bed.id })).status).toBe(400); // the platform admin sees B's bed, but it is not A's
    expect(
      (await admin.get(`/api/devices?organisationId=${bedA.org.id}`)).body.map((d: any) => d.serial),
    ).not.toContain(serial);
    expect((await admin.post('/api/devices', { ...body, bedId: bedA.bed.id })).status).toBe(201);
  });
});

describe('organisation isolation', () => {
  it("lists and reads only the user's own organisation; others answer 404", async () => {
    const op = asToken((await login('op-a', 'op-a-copper-kettle')).body.token);
    const beds = (await op.get('/api/beds')).body;
    expect(beds.map((b: any) => b.id)).toEqual([bedA.bed.id]);
    expect((await op.get('/api/organisations')).body.map((o: any) => o.id)).toEqual([bedA.org.id]);
    expect((await op.get(`/api/beds/${bedB.bed.id}`)).status).toBe(404);
    expect((await op.get(`/api/residents/${bedB.resident.id}`)).status).toBe(404);
    expect((await op.get(`/api/households/${bedB.household.id}`)).status).toBe(404);
    expect((await op.get(`/api/devices/${bedB.devices.button.device.id}`)).status).toBe(404);
    expect((await op.get(`/api/residents/${bedA.resident.id}`)).status).toBe(200);
    const devices = (await op.get('/api/devices')).body;
    expect(devices.every((d: any) => d.organisationId === bedA.org.id)).toBe(true);
  });

  it("keeps another organisation's vitals, device data, bed rules and silences out of reach (404), not its own", async () => {
    const op = asToken((await login('op-a', 'op-a-copper-kettle')).body.token);
    const [b, dB] = [bedB.bed.id, bedB.devices.button.device.id];
    for (const path of [
      `/api/beds/${b}/vitals`,
      `/api/devices/${dB}/telemetry`,
      `/api/devices/${dB}/events`,
      `/api/devices/${dB}/rejections`,
      `/api/beds/${b}/rules`,
      `/api/beds/${b}/rules/effective`,
      `/api/beds/${b}/rules/history`,
      `/api/beds/${b}/silences`,
      `/api/beds/${b}/rule-actions`,
    ]) {
      expect([path, (await op.get(path)).status]).toEqual([path, 404]);
    }
    // A supervisor holds these permissions, so only the organisation check stands in the way.
    const sup = asToken((await login('sup-a', 'sup-a-copper-kettle')).body.token);
    expect(
      (await sup.post(`/api/beds/${b}/silence`, { until: new Date(Date.now() + 3600_000).toISOString(), reason: 'x' }))
        .status,
    ).toBe(404);
    expect((await sup.put(`/api/beds/${b}/rules`, { heartRate: { major: { forMs: 5000 } } })).status).toBe(404);
    expect(
      (
        await sup.post(`/api/beds/${b}/backtest`, {
          from: new Date(Date.now() - 3600_000).toISOString(),
          to: new Date().toISOString(),
        })
      ).status,
    ).toBe(404);
    expect((await sup.put(`/api/organisations/${bedB.org.id}/rules`, { sos: { enabled: false } })).status).toBe(404);
    expect((await sup.get(`/api/organisations/${bedB.org.id}/rules`)).status).toBe(404);
    expect((await sup.get(`/api/organisations/${bedB.org.id}/rules/history`)).status).toBe(404);
    const [a, dA] = [bedA.bed.id, bedA.devices.button.device.id];
    for (const path of [
      `/api/beds/${a}/vitals`,
      `/api/devices/${dA}/telemetry`,
      `/api/beds/${a}/rules/effective`,
      `/api/beds/${a}/silences`,
    ]) {
      expect([path, (await op.get(path)).status]).toEqual([path, 200]);
    }
  });
});

describe('audit log', () => {
  it('records reads of resident data, lists included, and every change, for supervisors of that organisation', async () => {
    const op = asToken((await login('op-a', 'op-a-copper-kettle')).body.token);
    await op.get(`/api/residents/${bedA.resident.id}`);
    expect((await op.get('/api/residents')).status).toBe(200);
    expect((await op.get('/api/households')).status).toBe(200);
    const sup = asToken((await login('sup-a', 'sup-a-copper-kettle')).body.token);
    const entries = (await sup.get('/api/audit?limit=200')).body;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'op-a',
          targetType: 'residents',
          targetId: bedA.resident.id,
          status: 200,
          action: expect.stringMatching(/^read /),
        }),
        expect.objectContaining({ actor: 'op-a', targetType: 'devices', status: 403 }),
        expect.objectContaining({
          actor: 'op-a',
          action: 'read Residents.list',
          status: 200,
          details: expect.objectContaining({ returned: { count: 1, ids: [bedA.resident.id] } }),
        }),
        expect.objectContaining({
          actor: 'op-a',
          action: 'read Households.list',
          status: 200,
          details: expect.objectContaining({ returned: { count: 1, ids: [bedA.household.id] } }),
        }),
      ]),
    );
    expect(entries.every((e: any) => e.organisationId === bedA.org.id)).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/op-a2-copper-kettle/); // passwords are redacted
    const op2 = asToken((await login('op-a', 'op-a-copper-kettle')).body.token);
    expect((await op2.get('/api/audit')).status).toBe(403);
  });
});
