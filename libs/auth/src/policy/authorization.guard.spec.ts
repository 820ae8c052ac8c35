import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@bedside/common';
import type { AuditEntry } from '../audit/audit.repository';
import type { AuthUser, Role } from '../current-user.decorator';
import { Public } from '../public.decorator';
import { AuthorizationGuard } from './authorization.guard';
import { PERMISSIONS } from './permission';
import { ROLE_PERMISSIONS, ROLES } from './role-permissions';
import { Authenticated, inBody, inPath, inQuery } from './route-access';

const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';
const BED_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const BED_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

class Routes {
  @Authenticated({ permission: 'rules.write', owns: [inPath('bed')] }) putRules() {}
  @Authenticated({ permission: 'registry.read', owns: [inQuery('bed', 'bedId')] }) list() {}
  @Authenticated({ permission: 'device.manage', owns: [inBody('bed', 'bedId')] }) provision() {}
  @Authenticated({ permission: 'organisation.create', platform: true }) createOrganisation() {}
  @Public() health() {}
  undeclared() {}
}

const user = (role: Role, organisationId: string | null = ORG_A): AuthUser => ({
  userId: 'u1',
  username: `${role}-1`,
  displayName: role,
  role,
  organisationId,
});

function guardFor(caller: AuthUser) {
  const audit: AuditEntry[] = [];
  const owners: Record<string, string> = { [BED_A]: ORG_A, [BED_B]: ORG_B };
  const guard = new AuthorizationGuard(
    new Reflector(),
    { authenticate: async () => caller } as never,
    { organisationOf: async (_r: string, id: string) => owners[id] } as never,
    { append: async (e: AuditEntry) => void audit.push(e) } as never,
    { now: () => 0 },
  );
  return { guard, audit };
}

function context(
  handler: keyof Routes,
  req: { params?: object; query?: object; body?: unknown } = {},
): ExecutionContext {
  const request = { headers: {}, ip: '127.0.0.1', path: '/api/x', method: 'POST', params: {}, query: {}, ...req };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function outcome(caller: AuthUser, handler: keyof Routes, req?: Parameters<typeof context>[1]): Promise<string> {
  try {
    await guardFor(caller).guard.canActivate(context(handler, req));
    return 'allowed';
  } catch (err) {
    return (err as DomainError).code;
  }
}

describe('AuthorizationGuard', () => {
  it('refuses a route without a declaration and lets a public one through', async () => {
    expect(await outcome(user('admin', null), 'undeclared')).toBe('FORBIDDEN');
    expect(await outcome(user('installer'), 'health')).toBe('allowed');
  });

  it('refuses roles without the permission, before looking at any record, and audits the refusal', async () => {
    const { guard, audit } = guardFor(user('operator'));
    await expect(guard.canActivate(context('putRules', { params: { id: BED_B } }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'operator-1',
        status: 403,
        details: expect.objectContaining({ permission: 'rules.write' }),
      }),
    ]);
  });

  it.each([
    ['path', 'putRules', { params: { id: BED_B } }],
    ['query', 'list', { query: { bedId: BED_B } }],
    ['body', 'provision', { body: { bedId: BED_B } }],
  ] as const)(
    "answers 404 for another organisation's record named in the %s, like a missing one",
    async (_where, handler, req) => {
      expect(await outcome(user('supervisor'), handler, req)).toBe('NOT_FOUND');
      const missing = JSON.parse(JSON.stringify(req).replace(BED_B, 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'));
      expect(await outcome(user('supervisor'), handler, missing)).toBe('NOT_FOUND');
      const own = JSON.parse(JSON.stringify(req).replace(BED_B, BED_A));
      expect(await outcome(user('supervisor'), handler, own)).toBe('allowed');
    },
  );

  it('lets a platform administrator reach every organisation, and only them create one', async () => {
    expect(await outcome(user('admin', null), 'putRules', { params: { id: BED_B } })).toBe('allowed');
    expect(await outcome(user('admin', null), 'createOrganisation')).toBe('allowed');
    expect(await outcome(user('admin', ORG_A), 'createOrganisation')).toBe('FORBIDDEN');
  });

  it('refuses malformed ids before any lookup, naming the parameter; leaves wrongly typed body fields to validation', async () => {
    await expect(
      guardFor(user('supervisor')).guard.canActivate(context('putRules', { params: { id: 'x\u0000' } })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'path parameter id must be a UUID' });
    await expect(
      guardFor(user('supervisor')).guard.canActivate(context('list', { query: { bedId: [BED_A, BED_B] } })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'query.bedId' } });
    expect(await outcome(user('supervisor'), 'provision', { body: { bedId: 42 } })).toBe('allowed');
  });
});

describe('the role table', () => {
  it('gives the administrator every permission and every role its own session', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort());
    for (const role of ROLES) expect(ROLE_PERMISSIONS[role]).toContain('self');
  });

  it('keeps the separation a call centre relies on', () => {
    expect(ROLE_PERMISSIONS.operator).not.toContain('silence.manage');
    expect(ROLE_PERMISSIONS.operator).not.toContain('rules.write');
    expect(ROLE_PERMISSIONS.installer).not.toContain('alarm.handle');
    expect(ROLE_PERMISSIONS.installer).not.toContain('vitals.read');
    expect(ROLE_PERMISSIONS.supervisor).not.toContain('organisation.create');
  });
});
