import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Database, createKysely, migrateToLatest } from '@bedside/database';
import { startPostgres, waitFor, type PostgresServer } from '@bedside/testing';
import { DEFAULT_AUTO_RESOLVE_POLICY, type RaiseAction } from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import type { AlarmStreamEvent } from '../model/alarm-record';
import { ALARM_LOG_CHANNEL, AlarmRepository } from '../persistence/alarm.repository';
import { AlarmApplier, ApplyOutcome } from '../runtime/alarm-applier';
import { AlarmLogListener } from './alarm-log-listener';
import { AlarmLogTailer } from './alarm-log-tailer';

/**
 * Two "nodes" (two pools, clustered repositories) append to one alarm log on a real PostgreSQL
 * while a tailer follows it: appends commit in id order across processes, and the tailer
 * delivers every event once, in id order, woken by NOTIFY or, without it, by its poll.
 */
jest.setTimeout(120_000);

const config = (node: string) =>
  new AlarmsConfig(
    { escalateAfterMs: 60_000, repeatEveryMs: 60_000 },
    DEFAULT_AUTO_RESOLVE_POLICY,
    3_600_000,
    15_000,
    node,
  );

describe('shared alarm log on PostgreSQL', () => {
  let pg: PostgresServer;
  let url: string;
  const nodes: { database: Database; alarms: AlarmRepository; applier: AlarmApplier }[] = [];
  const orgId = randomUUID();
  const bedId = randomUUID();
  let seq = 0;

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('alarm_log');
    for (const node of ['node-a', 'node-b']) {
      const { db, engine } = createKysely({ url, dataDir: tmpdir() });
      if (nodes.length === 0) await migrateToLatest(db);
      const database = new Database(db, engine);
      const alarms = new AlarmRepository(database, config(node));
      nodes.push({ database, alarms, applier: new AlarmApplier(alarms, config(node)) });
    }
    const db = nodes[0].database.db;
    const householdId = randomUUID();
    await db.insertInto('organisations').values({ id: orgId, name: 'org' }).execute();
    await db
      .insertInto('households')
      .values({ id: householdId, organisation_id: orgId, name: 'h', address: 'a', time_zone: 'UTC', contacts: '[]' })
      .execute();
    await db
      .insertInto('beds')
      .values({ id: bedId, household_id: householdId, resident_id: null, label: 'b' })
      .execute();
  });
  afterAll(async () => {
    for (const n of nodes) await n.database.close();
    await pg?.stop();
  });

  const action = (): RaiseAction => {
    const at = Date.now() + seq * 1000;
    return {
      type: 'raise',
      bedId,
      kind: 'sos',
      subject: null,
      key: `sos:${++seq}`,
      at,
      suppressed: false,
      reason: 'sos',
      message: 'SOS',
      details: {},
      severity: 'critical',
      startedAt: at,
    };
  };
  /** A raise in a transaction whose events are appended last (the runner's inTransaction path). */
  const inTransaction = (n: number, holdMs = 0, opened?: () => void) =>
    nodes[n].database.db.transaction().execute(async (tx) => {
      const out = new ApplyOutcome();
      await nodes[n].applier.apply(tx, orgId, [action()], out);
      out.events.push(...(await nodes[n].alarms.appendEvents(tx, out.drafts)));
      opened?.();
      if (holdMs) await new Promise((r) => setTimeout(r, holdMs));
      return out.events;
    });
  /** A raise in one autocommit statement that also appends its event (the runner's raiseAlone path). */
  const alone = async (n: number) => {
    const out = new ApplyOutcome();
    const rec = nodes[n].applier.raiseRecord(orgId, action());
    nodes[n].applier.recordRaised(rec, await nodes[n].alarms.insertRaised(nodes[n].database.db, rec, []), out);
    return out.events;
  };
  const allIds = async () =>
    (await nodes[0].database.db.selectFrom('alarm_events').select('id').orderBy('id').execute()).map((r) =>
      Number(r.id),
    );

  it('an append waits for the open append of another node, so ids commit in id order', async () => {
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    const first = inTransaction(0, 700, opened);
    await isOpen;
    let secondDone = 0;
    const second = alone(1).then((e) => ((secondDone = Date.now()), e));
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(0); // still waiting for the turn held by node-a's open transaction
    const [a, b] = await Promise.all([first, second]);
    expect(b[0].id).toBeGreaterThan(a[0].id);
  });

  it('a tailer woken by NOTIFY delivers every node’s events once, in id order, under concurrent appends', async () => {
    const delivered: AlarmStreamEvent[] = [];
    const tailer = new AlarmLogTailer(nodes[0].alarms, (e) => delivered.push(...e), { pollMs: 60_000, pageSize: 7 });
    await tailer.start();
    const from = tailer.position!;
    const listener = new AlarmLogListener(url, ALARM_LOG_CHANNEL, () => void tailer.wake());
    await listener.start();
    expect(listener.listening).toBe(true);
    try {
      // One event first, timed: the poll is a minute away, so only NOTIFY can deliver it.
      const t0 = Date.now();
      const [one] = await alone(1);
      await waitFor(() => delivered.some((e) => e.id === one.id), { timeoutMs: 5000, what: 'the NOTIFY wake-up' });
      const wakeMs = Date.now() - t0;
      expect(wakeMs).toBeLessThan(2000);

      const writes: Promise<AlarmStreamEvent[]>[] = [];
      for (let i = 0; i < 30; i++) {
        writes.push(inTransaction(i % 2, (i * 7) % 40));
        writes.push(alone((i + 1) % 2));
      }
      const written = (await Promise.all(writes)).flat();
      const expected = (await allIds()).filter((id) => id > from);
      expect(written.length).toBe(60);
      expect(expected.length).toBe(61); // and the timed one
      await waitFor(() => delivered.length >= expected.length, { timeoutMs: 10_000, what: 'all events delivered' });
      expect(delivered.map((e) => e.id)).toEqual(expected);
      expect(delivered.every((e) => e.type === 'alarm.raised' && e.alarm.organisationId === orgId)).toBe(true);
      process.stdout.write(`alarm-log: NOTIFY → delivered in ${wakeMs} ms; ${expected.length} events in order\n`);
    } finally {
      await listener.stop();
      await tailer.stop();
    }
  });

  it('without NOTIFY the poll still delivers, and a failed read is retried without a gap', async () => {
    const delivered: number[] = [];
    let failNext = true;
    const source = {
      lastEventId: () => nodes[1].alarms.lastEventId(),
      eventsAfter: async (after: number, limit: number) => {
        if (failNext) {
          failNext = false;
          throw new Error('connection reset');
        }
        return nodes[1].alarms.eventsAfter(after, limit);
      },
    };
    const warnings: string[] = [];
    const tailer = new AlarmLogTailer(
      source,
      (e) => delivered.push(...e.map((x) => x.id)),
      { pollMs: 150 },
      (m) => warnings.push(m),
    );
    await tailer.start();
    const from = tailer.position!;
    try {
      await alone(0);
      await inTransaction(1);
      const expected = (await allIds()).filter((id) => id > from);
      expect(expected.length).toBe(2);
      await waitFor(() => delivered.length >= 2, { timeoutMs: 5000, what: 'the poll' });
      expect(delivered).toEqual(expected);
      expect(warnings).toEqual(['alarm log read failed; retried at the next poll']);
    } finally {
      await tailer.stop();
    }
  });
});
