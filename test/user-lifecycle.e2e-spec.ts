import { hubApi, startHub, type HubProcess } from '@bedside/testing';
import { passwordOf, signIn, type Api } from './tenant-fixture';

/** Users over the real API: disable, enable, role change, password reset, delete, own password, and the throttles. */
// Each step signs in and hashes passwords (scrypt) several times: slow by design.
jest.setTimeout(30_000);

let hub: HubProcess;
let admin: Api;
let orgId: string;
let otherOrgId: string;

const asHeader = (authorization: string) => hubApi({ httpUrl: hub.httpUrl, authHeader: authorization });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function createUser(username: string, role: string, organisationId = orgId) {
  const r = await admin.post('/api/users', {
    username,
    password: passwordOf(username),
    displayName: `${username} 张`,
    role,
    organisationId,
  });
  expect(r.status).toBe(201);
  return r.body as { id: string };
}

beforeAll(async () => {
  hub = await startHub({ LOGIN_FAILURES_MAX: '3' });
  admin = hubApi(hub);
  orgId = (await admin.post('/api/organisations', { name: 'Lifecycle centre' })).body.id;
  otherOrgId = (await admin.post('/api/organisations', { name: 'Other centre' })).body.id;
}, 90_000);

afterAll(async () => {
  await hub?.dispose();
});

describe('a supervisor manages their staff', () => {
  it('disables a leaver: the live session stops at once and sign-in is refused; enabling restores sign-in', async () => {
    const sup = asHeader(await signIn(hub, (await createUser('sup-1', 'supervisor'), 'sup-1')));
    const leaver = await createUser('leaver-1', 'operator');
    const session = asHeader(await signIn(hub, 'leaver-1'));
    expect((await session.get('/api/alarms')).status).toBe(200);
    expect((await sup.post(`/api/users/${leaver.id}/disable`)).body).toEqual(
      expect.objectContaining({ id: leaver.id, disabled: true }),
    );
    expect((await session.get('/api/alarms')).status).toBe(401);
    await expect(signIn(hub, 'leaver-1')).rejects.toThrow(/401/);
    expect((await sup.post(`/api/users/${leaver.id}/enable`)).body.disabled).toBe(false);
    expect((await asHeader(await signIn(hub, 'leaver-1')).get('/api/alarms')).status).toBe(200);
    expect((await session.get('/api/alarms')).status).toBe(401); // the old session stays ended
  });

  it('changes a role: the new rights apply to the next request and old sessions end', async () => {
    const sup = asHeader(await signIn(hub, 'sup-1'));
    const user = await createUser('mover-1', 'installer');
    const session = asHeader(await signIn(hub, 'mover-1'));
    expect((await session.post('/api/alarms/00000000-0000-4000-8000-000000000000/acknowledge', {})).status).toBe(403);
    expect((await sup.call('PATCH', `/api/users/${user.id}`, { role: 'operator' })).body.role).toBe('operator');
    expect((await session.get('/api/auth/me')).status).toBe(401);
    const again = asHeader(await signIn(hub, 'mover-1'));
    expect((await again.get('/api/auth/me')).body.role).toBe('operator');
    expect((await again.post('/api/alarms/00000000-0000-4000-8000-000000000000/acknowledge', {})).status).toBe(404);
  });

  it('refuses to give or manage roles above operator and installer, and to reach another organisation', async () => {
    const sup = asHeader(await signIn(hub, 'sup-1'));
    const peer = await createUser('sup-2', 'supervisor');
    const op = await createUser('op-3', 'operator');
    expect((await sup.call('PATCH', `/api/users/${op.id}`, { role: 'supervisor' })).status).toBe(403);
    expect((await sup.post(`/api/users/${peer.id}/disable`)).status).toBe(403);
    expect((await sup.call('DELETE', `/api/users/${peer.id}`)).status).toBe(403);
    const foreign = await createUser('op-foreign', 'operator', otherOrgId);
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/disable'],
      ['POST', '/password'],
      ['DELETE', ''],
    ] as const) {
      const r = await sup.call(
        method,
        `/api/users/${foreign.id}${path}`,
        method === 'GET' || method === 'DELETE' ? undefined : { displayName: 'x', password: 'copper kettle harbour' },
      );
      expect([method, path, r.status]).toEqual([method, path, 404]);
    }
    expect(
      (
        await sup.post('/api/users', {
          username: 'op-x',
          password: 'copper kettle harbour',
          displayName: 'x',
          role: 'operator',
          organisationId: otherOrgId,
        })
      ).status,
    ).toBe(404);
  });

  it('refuses empty and null changes, naming the field', async () => {
    const sup = asHeader(await signIn(hub, 'sup-1'));
    const op = await createUser('op-4', 'operator');
    const empty = await sup.call('PATCH', `/api/users/${op.id}`, {});
    expect(empty.status).toBe(400);
    const nulled = await sup.call('PATCH', `/api/users/${op.id}`, { displayName: null });
    expect([nulled.status, nulled.body.message]).toEqual([400, expect.stringContaining('displayName')]);
  });

  it('resets a password: the old one and every session stop working', async () => {
    const sup = asHeader(await signIn(hub, 'sup-1'));
    const op = await createUser('op-5', 'operator');
    const session = asHeader(await signIn(hub, 'op-5'));
    const weak = await sup.post(`/api/users/${op.id}/password`, { password: 'password12' });
    expect([weak.status, weak.body.message]).toEqual([400, expect.stringMatching(/^password is too easy to guess/)]);
    expect((await sup.post(`/api/users/${op.id}/password`, { password: 'amber lantern violin' })).status).toBe(204);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    await expect(signIn(hub, 'op-5')).rejects.toThrow(/401/);
    expect((await asHeader(await signIn(hub, 'op-5', 'amber lantern violin')).get('/api/auth/me')).status).toBe(200);
  });

  it('deletes a user by anonymising them: sign-in ends, the audit trail keeps their actions', async () => {
    const sup = asHeader(await signIn(hub, 'sup-1'));
    const op = await createUser('op-6', 'operator');
    const session = asHeader(await signIn(hub, 'op-6'));
    await session.get('/api/residents');
    expect((await sup.call('DELETE', `/api/users/${op.id}`)).status).toBe(204);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    await expect(signIn(hub, 'op-6')).rejects.toThrow(/401/);
    expect((await sup.get(`/api/users/${op.id}`)).status).toBe(404);
    expect((await sup.get('/api/users')).body.map((u: { username: string }) => u.username)).not.toContain('op-6');
    const audit = (await sup.get('/api/audit?actor=op-6')).body;
    expect(audit).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: 'op-6', action: 'read Residents.list' })]),
    );
    // The username is free again for a new person.
    await createUser('op-6', 'operator');
  });

  it('nobody disables or deletes themselves', async () => {
    const sup = asHeader(await signIn(hub, 'sup-1'));
    const me = (await sup.get('/api/auth/me')).body;
    expect((await sup.post(`/api/users/${me.userId}/disable`)).status).toBe(403);
    expect((await sup.call('DELETE', `/api/users/${me.userId}`)).status).toBe(403);
  });
});

describe('passwords', () => {
  it.each([
    ['ten spaces', '          '],
    ['a common password', 'password12'],
    ['the username', 'weak-user-1'],
    ['too short', 'Xq7#pL2'],
  ])('refuses %s when a user is created', async (_why, password) => {
    const r = await admin.post('/api/users', {
      username: 'weak-user-1',
      password,
      displayName: 'x',
      role: 'operator',
      organisationId: orgId,
    });
    expect([r.status, r.body.message]).toEqual([400, expect.stringMatching(/^password /)]);
  });

  it('lets users change their own password, needing the current one; other sessions end', async () => {
    await createUser('self-1', 'operator');
    const here = asHeader(await signIn(hub, 'self-1'));
    const elsewhere = asHeader(await signIn(hub, 'self-1'));
    const wrong = await here.post('/api/auth/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'velvet orchard compass',
    });
    expect([wrong.status, wrong.body.message]).toEqual([400, 'currentPassword is wrong']);
    expect(
      (await here.post('/api/auth/password', { currentPassword: passwordOf('self-1'), newPassword: 'self-1-self-1' }))
        .status,
    ).toBe(400);
    expect(
      (
        await here.post('/api/auth/password', {
          currentPassword: passwordOf('self-1'),
          newPassword: 'velvet orchard compass',
        })
      ).status,
    ).toBe(204);
    expect((await here.get('/api/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    expect((await asHeader(await signIn(hub, 'self-1', 'velvet orchard compass')).get('/api/auth/me')).status).toBe(
      200,
    );
  });
});

describe('throttles', () => {
  it('throttles HTTP Basic like sign-in: after the limit even the right password waits, with Retry-After', async () => {
    const [user, password] = Buffer.from(hub.authHeader.slice(6), 'base64').toString().split(/:(.*)/s);
    for (let i = 0; i < 3; i++)
      expect((await asHeader(basic(user, `wrong-${i}`)).get('/api/organisations')).status).toBe(401);
    const refused = await fetch(`${hub.httpUrl}/api/organisations`, {
      headers: { authorization: basic(user, password) },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
