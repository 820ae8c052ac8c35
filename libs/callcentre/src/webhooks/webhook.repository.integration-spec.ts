import type { Database } from '@bedside/database';
import { testDatabaseEngines } from '@bedside/testing';
import { OrganisationRepository } from '../../../registry/src/organisations/organisation.repository';
import { WebhookRepository } from './webhook.repository';

/** Delivery claims on embedded PGlite and a real PostgreSQL server. */
describe.each(testDatabaseEngines('webhook-claims'))('webhook delivery claims on $name', (engine) => {
  let database: Database;
  let hooks: WebhookRepository;
  const T = new Date('2026-11-10T00:00:00Z');
  const LEASE = 30_000;

  beforeAll(async () => {
    database = await engine.open();
    hooks = new WebhookRepository(database);
  }, 60_000);
  afterAll(() => engine.close());

  it('gives each due delivery to one poller only, until its lease ends or its attempt sets the next', async () => {
    const org = await new OrganisationRepository(database).create('claims centre');
    const hook = await hooks.create({
      organisationId: org.id,
      url: 'http://127.0.0.1:9/hook',
      secret: 's',
      eventTypes: ['alarm.raised'],
      createdBy: 'admin',
    });
    for (let e = 1; e <= 12; e++) await hooks.enqueue(org.id, e, 'alarm.raised', { e }, T);

    // Two pollers (two nodes) at once: disjoint claims that cover everything due.
    const [{ due: a }, { due: b }] = await Promise.all([hooks.claimDue(T, 8, LEASE), hooks.claimDue(T, 8, LEASE)]);
    const ids = [...a, ...b].map((d) => d.eventId).sort((x, y) => x - y);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(a.every((d) => d.webhookId === hook.id && d.url === 'http://127.0.0.1:9/hook')).toBe(true);

    // Claimed: not due again within the lease, due again after it (a poller that died mid-post).
    // Nothing due: the answer says when the earliest pending one will be (the claims' end).
    expect(await hooks.claimDue(new Date(T.getTime() + LEASE - 1), 50, LEASE)).toEqual({
      due: [],
      nextAt: new Date(T.getTime() + LEASE),
    });
    const { due: again, nextAt: afterAgain } = await hooks.claimDue(new Date(T.getTime() + LEASE), 50, LEASE);
    expect(again).toHaveLength(12);
    // Every pending delivery was claimed now: none other falls due.
    expect(afterAgain).toBeNull();

    // An attempt's outcome sets the real next attempt.
    await hooks.recordAttempt(again[0].id, {
      delivered: false,
      giveUp: false,
      status: 503,
      error: 'HTTP 503',
      nextAttemptAt: new Date(T.getTime() + LEASE + 1000),
      at: new Date(T.getTime() + LEASE),
    });
    expect((await hooks.claimDue(new Date(T.getTime() + LEASE + 1), 50, LEASE)).nextAt).toEqual(
      new Date(T.getTime() + LEASE + 1000),
    );
    const { due: retry } = await hooks.claimDue(new Date(T.getTime() + LEASE + 1000), 50, LEASE);
    expect(retry.map((d) => d.id)).toEqual([again[0].id]);
    expect(retry[0].attempts).toBe(1);
  });
});
