import type { Database } from '@bedside/database';
import { testDatabaseEngines } from '@bedside/testing';
import { UserRepository } from '../users/user.repository';
import { SessionRepository } from './session.repository';
import { tokenDigest } from './token-digest';

/** The sessions table as the resolver reads it, against embedded PGlite and a real PostgreSQL server. */
describe.each(testDatabaseEngines('sessions'))('session repository on $name', (engine) => {
  let database: Database;
  let users: UserRepository;
  let sessions: SessionRepository;
  const hour = 3_600_000;
  const now = () => new Date();

  beforeAll(async () => {
    database = await engine.open();
    users = new UserRepository(database);
    sessions = new SessionRepository(database);
  }, 60_000);

  afterAll(async () => {
    await engine.close();
  });

  const user = (username: string) =>
    users.create({ organisationId: null, username, displayName: username, role: 'admin', passwordHash: 'x' });

  it('resolves and lists live sessions by digest, with their expiry; ended ones are in neither', async () => {
    const alice = await user('alice-sessions');
    const bob = await user('bob-sessions');
    const expiresAt = new Date(Date.now() + hour);
    const a1 = await sessions.create(alice.id, expiresAt);
    const a2 = await sessions.create(alice.id, new Date(Date.now() + 2 * hour));
    const b1 = await sessions.create(bob.id, expiresAt);
    const old = await sessions.create(bob.id, new Date(Date.now() - 1000));

    expect(await sessions.resolve(tokenDigest(a1), now())).toEqual({
      user: {
        userId: alice.id,
        username: 'alice-sessions',
        displayName: 'alice-sessions',
        role: 'admin',
        organisationId: null,
      },
      expiresAt: expiresAt.getTime(),
    });
    expect(await sessions.resolve(a1, now())).toBeUndefined(); // by digest only, never the token
    expect(await sessions.resolve(tokenDigest(old), now())).toBeUndefined();
    const live = await sessions.live(now(), 100);
    expect(live.map((l) => l.digest).sort()).toEqual([a1, a2, b1].map(tokenDigest).sort());
    expect(live[0].digest).toBe(tokenDigest(a2)); // latest to expire first
    expect(await sessions.live(now(), 1)).toHaveLength(1);

    // A sign-out written again after an outage keeps the first time.
    const first = new Date(Date.now() - 60_000);
    await sessions.revoke(tokenDigest(a1), first);
    await sessions.revoke(tokenDigest(a1), now());
    const row = await database.db
      .selectFrom('sessions')
      .select('revoked_at')
      .where('token_hash', '=', tokenDigest(a1))
      .executeTakeFirstOrThrow();
    expect(new Date(row.revoked_at!).getTime()).toBe(first.getTime());
    expect(await sessions.resolve(tokenDigest(a1), now())).toBeUndefined();

    await sessions.revokeAllOf(bob.id, now(), tokenDigest(b1));
    expect(await sessions.resolve(tokenDigest(b1), now())).toBeDefined(); // the one kept
    await users.setDisabled(alice.id, now());
    expect((await sessions.live(now(), 100)).map((l) => l.digest)).toEqual([tokenDigest(b1)]);
  });
});
