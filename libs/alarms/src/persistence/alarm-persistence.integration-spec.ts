import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Clock } from '@bedside/common';
import { DatabaseHealth, type Database } from '@bedside/database';
import { IngestEvents, type AlarmAckOutbox } from '@bedside/ingest';
import { RegistryEvents } from '@bedside/registry';
import { testDatabaseEngines } from '@bedside/testing';
import { DEFAULT_AUTO_RESOLVE_POLICY, ManualClock, type RaiseAction, type RuleAction } from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import { AlarmApplier } from '../runtime/alarm-applier';
import { AlarmCommitter } from '../runtime/alarm-committer';
import { AlarmStream } from '../runtime/alarm-stream';
import { BedCheckpoints } from '../runtime/bed-checkpoints';
import { BedEntries } from '../runtime/bed-entries';
import { SingleProcessOwnership } from '../runtime/bed-ownership';
import { ClusterInputs } from '../runtime/cluster-inputs';
import { PartitionFastPath } from '../runtime/partition-fast-path';
import type { AlarmStreamEvent } from '../model/alarm-record';
import { RulesRunner } from '../runtime/rules-runner.service';
import { RuleConfigService } from '../services/rule-config.service';
import { AlarmContextRepository } from './alarm-context.repository';
import { AlarmRepository } from './alarm.repository';
import { BedContextRepository } from './bed-context.repository';
import { BedRuleStateRepository } from './bed-rule-state.repository';
import { RuleSetRepository } from './rule-set.repository';
import { Metrics } from '@bedside/observability';

/** Alarm persistence and boot recovery against embedded PGlite and a real PostgreSQL server. */

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const config = new AlarmsConfig(
  { escalateAfterMs: 60_000, repeatEveryMs: 60_000 },
  DEFAULT_AUTO_RESOLVE_POLICY,
  3_600_000,
  15_000,
);

describe.each(testDatabaseEngines('alarms'))('alarm persistence on $name', (engine) => {
  let database: Database;
  let alarms: AlarmRepository;
  let applier: AlarmApplier;
  let committer: AlarmCommitter;
  let orgId: string;
  let bedId: string;
  const buttonId = `button-${randomUUID().slice(0, 8)}`;

  /** A call button on a bed of the suite's organisation. */
  const addButton = (deviceId: string, onBed: string) =>
    database.db
      .insertInto('devices')
      .values({
        id: deviceId,
        organisation_id: orgId,
        kind: 'button',
        serial: deviceId,
        model: 'T1',
        bed_id: onBed,
        secret_salt: 's',
        secret_hash: 'h',
        credentials_issued_at: new Date(T0),
      })
      .execute();
  /** A press as ingest stores it, received at `receivedAt` by some node's clock; the database stamps stored_at. */
  const storePress = (
    eventId: string,
    receivedAt: number,
    { deviceId = buttonId, onBed = bedId, deviceTs = receivedAt } = {},
  ) =>
    database.db
      .insertInto('device_events')
      .values({
        device_id: deviceId,
        event_id: eventId,
        type: 'button.pressed',
        bed_id: onBed,
        device_ts: new Date(deviceTs),
        received_at: new Date(receivedAt),
      })
      .execute();
  /** As rows written before the database kept storing times. */
  const keptBeforeStoringTimes = (eventIds: string[]) =>
    sql`update device_events set stored_at = null where event_id in (${sql.join(eventIds)})`.execute(database.db);

  beforeAll(async () => {
    database = await engine.open();
    alarms = new AlarmRepository(database);
    applier = new AlarmApplier(alarms, config);
    committer = new AlarmCommitter(database, alarms, new BedRuleStateRepository(database), applier, new AlarmStream());
    orgId = randomUUID();
    const householdId = randomUUID();
    bedId = randomUUID();
    await database.db.insertInto('organisations').values({ id: orgId, name: 'org' }).execute();
    await database.db
      .insertInto('households')
      .values({
        id: householdId,
        organisation_id: orgId,
        name: 'h',
        address: 'a',
        time_zone: 'Europe/Berlin',
        contacts: '[]',
      })
      .execute();
    await database.db
      .insertInto('beds')
      .values({ id: bedId, household_id: householdId, resident_id: null, label: 'bed' })
      .execute();
    await addButton(buttonId, bedId);
  }, 120_000);

  afterAll(async () => {
    await engine.close();
  });

  const raise = (key: string, at: number, extra: Partial<RaiseAction> = {}): RaiseAction => ({
    type: 'raise',
    bedId,
    kind: 'heart_rate',
    subject: null,
    key,
    at,
    suppressed: false,
    reason: 'heart_rate_high',
    message: 'hr high',
    details: { value: 130 },
    severity: 'major',
    startedAt: at - 1000,
    ...extra,
  });
  const applyAll = (actions: RuleAction[]) =>
    committer.transaction((tx, out) => applier.apply(tx, orgId, actions, out), null);

  it('raises once per episode key: a replayed raise changes nothing', async () => {
    const first = await applyAll([raise('hr:1', T0)]);
    expect(first.events.map((e) => e.type)).toEqual(['alarm.raised']);
    const replay = await applyAll([raise('hr:1', T0)]);
    expect(replay.events).toEqual([]);
    const row = await alarms.getByKey(alarms.db, 'hr:1');
    expect(row).toEqual(
      expect.objectContaining({
        status: 'raised',
        severity: 'major',
        nextEscalationAt: T0 + 60_000,
        incidentId: row!.id,
      }),
    );
    expect(row!.audit.map((a) => a.action)).toEqual(['raise']);
  });

  it('applies update and clear through the state machine, with audit, stream events and incident chaining', async () => {
    const out = await applyAll([
      {
        type: 'update',
        bedId,
        kind: 'heart_rate',
        subject: null,
        key: 'hr:1',
        at: T0 + 5000,
        suppressed: false,
        reason: 'r',
        message: 'critical now',
        details: {},
        severity: 'critical',
        previousSeverity: 'major',
        repeatCount: 0,
      },
      {
        type: 'clear',
        bedId,
        kind: 'heart_rate',
        subject: null,
        key: 'hr:1',
        at: T0 + 9000,
        suppressed: false,
        reason: 'r',
        message: 'normal',
        details: {},
      },
      raise('spo2:1', T0 + 10_000, { kind: 'spo2' }),
    ]);
    expect(out.events.map((e) => e.type)).toEqual(['alarm.updated', 'alarm.cleared', 'alarm.raised']);
    const hr = await alarms.getByKey(alarms.db, 'hr:1');
    expect(hr).toEqual(expect.objectContaining({ severity: 'critical', cleared: true, status: 'raised' })); // critical: still needs a human
    expect(hr!.audit.map((a) => a.action)).toEqual(['raise', 'update', 'clear']);
    const spo2 = await alarms.getByKey(alarms.db, 'spo2:1');
    expect(spo2!.incidentId).toBe(hr!.incidentId);
    const listed = await alarms.list({ bedId });
    expect(listed.map((a) => a.kind)).toEqual(['heart_rate', 'spo2']); // critical before major
    // Who and where, joined in the same query: the console needs no lookup per row.
    expect(listed[0]).toEqual(
      expect.objectContaining({
        bedLabel: 'bed',
        residentName: null,
        householdName: 'h',
        address: 'a',
        timeZone: 'Europe/Berlin',
        acknowledgedByName: null,
      }),
    );
  });

  it('lists with the display names of who acknowledged; the context repository finds the same', async () => {
    const username = `op-${randomUUID().slice(0, 8)}`;
    await database.db
      .insertInto('users')
      .values({
        id: randomUUID(),
        organisation_id: orgId,
        username,
        display_name: '张敏',
        role: 'operator',
        password_hash: 'x',
      })
      .execute();
    const prev = (await alarms.getByKey(alarms.db, 'spo2:1'))!;
    await alarms.save(alarms.db, prev, {
      ...prev,
      status: 'acknowledged',
      acknowledgedAt: T0 + 11_000,
      acknowledgedBy: username,
    });
    const listed = (await alarms.list({ bedId })).find((a) => a.key === 'spo2:1');
    expect(listed).toEqual(expect.objectContaining({ acknowledgedBy: username, acknowledgedByName: '张敏' }));
    const context = new AlarmContextRepository(database);
    expect((await context.forBeds([bedId])).get(bedId)).toEqual(
      expect.objectContaining({ bedLabel: 'bed', householdName: 'h', timeZone: 'Europe/Berlin' }),
    );
    expect(await context.displayNames([username, 'system', 'device:x'])).toEqual(new Map([[username, '张敏']]));
  });

  it('auto-resolves a cleared unacknowledged minor alarm and keeps a suppressed one out of the queue', async () => {
    await applyAll([raise('off:1', T0 + 20_000, { kind: 'device_offline', subject: buttonId, severity: 'minor' })]);
    const out = await applyAll([
      {
        type: 'clear',
        bedId,
        kind: 'device_offline',
        subject: buttonId,
        key: 'off:1',
        at: T0 + 21_000,
        suppressed: false,
        reason: 'back',
        message: 'back',
        details: {},
      },
    ]);
    expect(out.events.map((e) => e.type)).toEqual(['alarm.cleared', 'alarm.resolved']);
    expect(await alarms.getByKey(alarms.db, 'off:1')).toEqual(
      expect.objectContaining({ status: 'resolved', outcome: 'auto_resolved', nextEscalationAt: null }),
    );

    const silenced = await applyAll([raise('hr:silenced', T0 + 22_000, { suppressed: true })]);
    expect(silenced.events).toEqual([]);
    expect((await alarms.list({ bedId })).map((a) => a.key)).not.toContain('hr:silenced');
    expect((await alarms.list({ bedId, includeSuppressed: true })).map((a) => a.key)).toContain('hr:silenced');
  });

  it('journals ignored readings without touching any alarm; a replayed entry is written once', async () => {
    const ignored: RuleAction = {
      type: 'ignored',
      bedId,
      kind: 'heart_rate',
      subject: 'm1',
      key: `${bedId}:heart_rate:m1:${T0}:ignored_settling`,
      at: T0 + 25_000,
      suppressed: false,
      startedAt: T0,
      reason: 'ignored_settling',
      message: 'heart rate 0 bpm ignored: mattress settling after someone lay down',
      details: { value: 0, deviceId: 'm1', ts: T0 },
    };
    const out = await applyAll([ignored]);
    expect(out.events).toEqual([]);
    await alarms.logActions(alarms.db, bedId, [ignored]);
    await alarms.logActions(alarms.db, bedId, [ignored]);
    expect(await alarms.actions(bedId, new Date(T0 + 25_000), new Date(T0 + 25_001))).toEqual([ignored]);
  });

  it("raises an evaluation's lone alarm in one statement with its rule state and journal; the stored stream payload names the chained incident", async () => {
    const states = new BedRuleStateRepository(database);
    const db = database.db;
    const action = raise('fall:alone', T0 + 30_000, { kind: 'fall', severity: 'critical' });
    const saved = {
      bedId,
      state: { marker: 'alone' } as never,
      nextDeadline: null,
      eventCursor: T0 + 30_000,
      version: 7,
    };
    const before = await alarms.lastEventId();
    const lone = { organisationId: orgId, saved, actions: [action], due: [], now: action.at };
    const inTransaction = jest.spyOn(committer, 'transaction');
    const out = await committer.commitEvaluation(lone, null);
    expect(inTransaction).not.toHaveBeenCalled();
    inTransaction.mockRestore();

    const hr = await alarms.getByKey(db, 'hr:1');
    const fall = await alarms.getByKey(db, 'fall:alone');
    expect(fall).toEqual(
      expect.objectContaining({ status: 'raised', severity: 'critical', incidentId: hr!.incidentId }),
    );
    expect(fall!.audit.map((a) => [a.action, a.at])).toEqual([['raise', T0 + 30_000]]);
    expect(out.events).toEqual([
      expect.objectContaining({
        type: 'alarm.raised',
        alarm: expect.objectContaining({ id: fall!.id, incidentId: hr!.incidentId }) as unknown,
      }),
    ]);
    expect(await alarms.eventsAfter(before)).toEqual(out.events);
    expect(out.raisedOrUpdated.get('fall')).toEqual(
      expect.objectContaining({ id: fall!.id, incidentId: hr!.incidentId }),
    );
    expect(await states.get(bedId)).toEqual(expect.objectContaining({ state: { marker: 'alone' }, version: 7 }));
    expect(await alarms.actions(bedId, new Date(T0 + 30_000), new Date(T0 + 30_001))).toEqual([action]);

    // A replay raises nothing and appends no event, but the writes beside it still land.
    const replay = await committer.commitEvaluation({ ...lone, saved: { ...saved, version: 8 } }, null);
    expect(replay.events).toEqual([]);
    expect(await alarms.lastEventId()).toBe(out.events[0].id);
    expect((await states.get(bedId))!.version).toBe(8);
    await db.deleteFrom('bed_rule_state').where('bed_id', '=', bedId).execute(); // the boot test below starts from no saved state
  });

  it("writes an evaluation's lone update after one read, in one statement with its stream event, rule state and journal", async () => {
    const states = new BedRuleStateRepository(database);
    const db = database.db;
    const raised = raise('fall:again', T0 + 40_000, { kind: 'fall', severity: 'critical' });
    const saved = {
      bedId,
      state: { marker: 'again' } as never,
      nextDeadline: null,
      eventCursor: T0 + 40_000,
      version: 9,
    };
    const evaluation = (actions: RuleAction[], version: number) => ({
      organisationId: orgId,
      saved: { ...saved, version },
      actions,
      due: [],
      now: actions[0].at,
    });
    const first = await committer.commitEvaluation(evaluation([raised], 9), null);
    const update: RuleAction = {
      type: 'update',
      bedId,
      kind: 'fall',
      subject: null,
      key: 'fall:again',
      at: T0 + 45_000,
      suppressed: false,
      reason: 'fall_repeated',
      message: 'fell again',
      details: {},
      severity: 'critical',
      previousSeverity: 'critical',
      repeatCount: 1,
    };
    const inTransaction = jest.spyOn(committer, 'transaction');
    const out = await committer.commitEvaluation(evaluation([update], 10), null);
    expect(inTransaction).not.toHaveBeenCalled();

    const fall = await alarms.getByKey(db, 'fall:again');
    expect(fall).toEqual(
      expect.objectContaining({ status: 'raised', repeatCount: 1, incidentId: first.events[0].alarm.incidentId }),
    );
    expect(fall!.audit.map((a) => [a.action, a.at])).toEqual([
      ['raise', T0 + 40_000],
      ['update', T0 + 45_000],
    ]);
    expect(out.events).toEqual([
      expect.objectContaining({
        type: 'alarm.updated',
        alarm: expect.objectContaining({ id: fall!.id, repeatCount: 1 }) as unknown,
      }),
    ]);
    expect(await alarms.eventsAfter(first.events[0].id)).toEqual(out.events);
    expect(out.raisedOrUpdated.get('fall')?.id).toBe(fall!.id);
    expect(out.escalations.get(fall!.id)).toBe(fall!.nextEscalationAt);
    expect((await states.get(bedId))!.version).toBe(10);
    expect(await alarms.actions(bedId, new Date(T0 + 45_000), new Date(T0 + 45_001))).toEqual([update]);

    // An update of an alarm not stored is the transaction's to handle: no event, the state and journal still written.
    const unknown = { ...update, key: 'fall:never', at: T0 + 46_000 };
    const fallback = await committer.commitEvaluation(evaluation([unknown], 11), null);
    expect(inTransaction).toHaveBeenCalledTimes(1);
    inTransaction.mockRestore();
    expect(fallback.events).toEqual([]);
    expect(fallback.raisedOrUpdated.size).toBe(0);
    expect(await alarms.lastEventId()).toBe(out.events[0].id);
    expect((await states.get(bedId))!.version).toBe(11);
    expect(await alarms.actions(bedId, new Date(T0 + 46_000), new Date(T0 + 46_001))).toEqual([unknown]);
    await db.deleteFrom('bed_rule_state').where('bed_id', '=', bedId).execute(); // the boot test below starts from no saved state
  });

  it('writes lone raises and updates that wait for the stream lock together, in one statement; a write that fails there fails alone', async () => {
    const stream = new AlarmStream();
    const streamed: number[] = [];
    stream.events$.subscribe((e) => streamed.push(e.id));
    const together = new AlarmCommitter(database, alarms, new BedRuleStateRepository(database), applier, stream);
    // One bed each: a bed's evaluations never run at once, so its writes never share a statement.
    const { household_id } = await database.db
      .selectFrom('beds')
      .select('household_id')
      .where('id', '=', bedId)
      .executeTakeFirstOrThrow();
    const bedOf: Record<string, string> = {};
    for (const key of ['tamper:a', 'tamper:b', 'tamper:c', 'tamper:d']) {
      bedOf[key] = randomUUID();
      await database.db
        .insertInto('beds')
        .values({ id: bedOf[key], household_id, resident_id: null, label: key })
        .execute();
    }
    const statements = jest.spyOn(alarms, 'writeParts');
    const lone = (key: string, at: number, organisationId = orgId) => ({
      organisationId,
      saved: { bedId: bedOf[key], state: { marker: key } as never, nextDeadline: null, eventCursor: at, version: 20 },
      actions: [raise(key, at, { kind: 'tamper', bedId: bedOf[key] })],
      due: [],
      now: at,
    });
    // Queued while the first waits for a connection and the lock: one statement for the four.
    const [a, b, c, poisoned] = await Promise.allSettled([
      together.commitEvaluation(lone('tamper:a', T0 + 50_000), null),
      together.commitEvaluation(lone('tamper:b', T0 + 50_001), null),
      together.commitEvaluation(lone('tamper:c', T0 + 50_002), null),
      together.commitEvaluation(lone('tamper:d', T0 + 50_003, randomUUID()), null), // no such organisation
    ]);
    expect(statements.mock.calls.map(([, parts]) => parts.length)).toEqual([4, 1, 1, 1, 1]); // the batch failed, then one by one
    statements.mockRestore();
    expect(poisoned.status).toBe('rejected');
    const outs = [a, b, c].map((r) => (r.status === 'fulfilled' ? r.value : null));
    for (const [i, key] of ['tamper:a', 'tamper:b', 'tamper:c'].entries()) {
      const stored = await alarms.getByKey(database.db, key);
      expect(outs[i]!.events).toEqual([
        expect.objectContaining({
          type: 'alarm.raised',
          alarm: expect.objectContaining({ id: stored!.id }) as unknown,
        }),
      ]);
      expect(outs[i]!.raisedOrUpdated.get('tamper')?.id).toBe(stored!.id);
    }
    expect(await alarms.getByKey(database.db, 'tamper:d')).toBeNull();
    // Streamed in id order, and as stored.
    expect(streamed).toHaveLength(3);
    expect(streamed).toEqual([...streamed].sort((x, y) => x - y));
    expect((await alarms.eventsAfter(streamed[0] - 1)).map((e) => e.id)).toEqual(streamed);

    // Updates of the same instant: each reads its alarm, then they queue for the lock like the raises.
    const writes = jest.spyOn(alarms, 'writeParts');
    const again = (key: string): RuleAction => ({
      type: 'update',
      bedId: bedOf[key],
      kind: 'tamper',
      subject: null,
      key,
      at: T0 + 51_000,
      suppressed: false,
      reason: 'tamper_repeated',
      message: 'again',
      details: {},
      severity: 'major',
      previousSeverity: 'major',
      repeatCount: 1,
    });
    const updated = await Promise.all(
      ['tamper:a', 'tamper:b', 'tamper:c'].map((key) =>
        together.commitEvaluation({ ...lone(key, T0 + 51_000), actions: [again(key)] }, null),
      ),
    );
    // One part each, in as many statements as turns of the lock, none failed and written again.
    expect(writes.mock.calls.map(([, p]) => p.length).reduce((x, y) => x + y)).toBe(3);
    writes.mockRestore();
    for (const [i, key] of ['tamper:a', 'tamper:b', 'tamper:c'].entries()) {
      const stored = await alarms.getByKey(database.db, key);
      expect(stored!.repeatCount).toBe(1);
      expect(updated[i].events).toEqual([
        expect.objectContaining({
          type: 'alarm.updated',
          alarm: expect.objectContaining({ id: stored!.id }) as unknown,
        }),
      ]);
    }
    expect(streamed).toHaveLength(6);
    expect(streamed).toEqual([...streamed].sort((x, y) => x - y));
    await database.db.deleteFrom('bed_rule_state').where('bed_id', 'in', Object.values(bedOf)).execute();
  });

  it('escalates when due and records the next escalation; the stream log reads back in id order', async () => {
    const hr = await alarms.getByKey(alarms.db, 'hr:1');
    const out = await committer.transaction(async (tx, o) => {
      await applier.escalate(tx, [hr!.id], T0 + 61_000, o);
      expect(o.drafts.map((d) => d.type)).toEqual(['alarm.escalated']); // appended last, in one statement
    }, null);
    expect(out.events.map((e) => [e.type, e.alarm.escalationLevel])).toEqual([['alarm.escalated', 1]]);
    expect(out.escalations.get(hr!.id)).toBe(T0 + 120_000);
    const all = await alarms.eventsAfter(0);
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(await alarms.eventsAfter(ids[ids.length - 2])).toEqual([all[all.length - 1]]);
    expect(await alarms.lastEventId()).toBe(ids[ids.length - 1]);
  });

  /** A RulesRunner over this database, booted: its device acks and live stream events. */
  const startRunner = async (clock: Clock) => {
    const acks: unknown[] = [];
    const contexts = new BedContextRepository(database);
    const stream = new AlarmStream();
    const streamed: AlarmStreamEvent[] = [];
    stream.events$.subscribe((e) => streamed.push(e));
    const ingest = new IngestEvents();
    const states = new BedRuleStateRepository(database);
    const beds = new BedEntries(
      contexts,
      states,
      new RuleConfigService(new RuleSetRepository(database), contexts, clock),
    );
    const ownership = new SingleProcessOwnership();
    const health = new DatabaseHealth(database, clock);
    const runner = new RulesRunner(
      beds,
      new AlarmCommitter(database, alarms, states, applier, stream),
      new BedCheckpoints(database, states, beds, ownership),
      ingest,
      new RegistryEvents(),
      alarms,
      contexts,
      config,
      clock,
      new Metrics(),
      {
        evaluated: (e: { eventId: string }, alarmId: string | null) =>
          alarmId && acks.push({ eventId: e.eventId, status: 'alarm', alarmId }),
      } as unknown as AlarmAckOutbox,
      health,
      ownership,
      new ClusterInputs(
        ownership,
        new PartitionFastPath(ownership),
        contexts,
        new RuleSetRepository(database),
        clock,
        health,
      ),
    );
    runner.onModuleInit();
    await runner.ready();
    return { runner, ingest, acks, streamed };
  };

  it("an open operator transaction on one bed does not hold up an SOS on another (the stream lock covers a transaction's event append and commit only)", async () => {
    const householdId = randomUUID();
    const otherBed = randomUUID();
    const otherButton = `button-${randomUUID().slice(0, 8)}`;
    await database.db
      .insertInto('households')
      .values({
        id: householdId,
        organisation_id: orgId,
        name: 'h2',
        address: 'a',
        time_zone: 'Europe/Berlin',
        contacts: '[]',
      })
      .execute();
    await database.db
      .insertInto('beds')
      .values({ id: otherBed, household_id: householdId, resident_id: null, label: 'bed 2' })
      .execute();
    await addButton(otherButton, otherBed);
    const clock = new ManualClock(T0 + 90_000);
    const { runner, ingest, streamed } = await startRunner(clock);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let entered!: () => void;
    const inStep = new Promise<void>((r) => (entered = r));
    const operating = runner.operate(bedId, async () => {
      entered();
      await gate; // an operator transaction that is still running
      return [];
    });
    await inStep;
    ingest.events$.next({
      deviceId: otherButton,
      kind: 'button',
      bedId: otherBed,
      eventId: 'press-meanwhile',
      type: 'button.pressed',
      ts: clock.now(),
      receivedAt: clock.now(),
      seq: 1,
    });
    const raised = () => streamed.some((e) => e.type === 'alarm.raised' && e.alarm.bedId === otherBed);
    // PGlite has one connection: there the raise waits for the transaction (and must not deadlock with it).
    if (engine.name === 'pglite') open();
    for (let i = 0; i < 200 && !raised(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(raised()).toBe(true);
    open();
    await operating;
    await runner.beforeApplicationShutdown();
  });

  it('on boot, replays a device event that was stored (and PUBACKed) but never evaluated; a second boot raises nothing twice', async () => {
    const clock = new ManualClock(T0 + 100_000);
    // Stored by ingest just before a crash: no rule state mentions it.
    await storePress('press-lost', T0 + 99_500, { deviceTs: T0 + 99_000 });
    const boot = async () => {
      const { runner, acks, streamed } = await startRunner(clock);
      await runner.beforeApplicationShutdown();
      return { acks, streamed: streamed.map((e) => `${e.type}:${e.alarm.kind}`) };
    };
    const first = await boot();
    expect(first.streamed).toContain('alarm.raised:sos');
    expect(first.acks).toEqual([expect.objectContaining({ eventId: 'press-lost', status: 'alarm' })]);
    const sos = await alarms.list({ bedId, kind: ['sos'] });
    expect(sos).toHaveLength(1);
    expect(sos[0].raisedAt).toBe(new Date(T0 + 99_500).toISOString()); // evaluated at its stored receive time

    clock.advance(1000);
    const second = await boot();
    expect(second.streamed.filter((s) => s === 'alarm.raised:sos')).toEqual([]);
    expect(await alarms.list({ bedId, kind: ['sos'] })).toHaveLength(1);
  });

  it("reads a partition's events by the database's clock: an event a lagging node stamped 30 s back is read as newly stored", async () => {
    const contexts = new BedContextRepository(database);
    const { partition } = await database.db
      .selectFrom('beds')
      .select('partition')
      .where('id', '=', bedId)
      .executeTakeFirstOrThrow();
    const before = await contexts.databaseNow();
    expect(Math.abs(before - Date.now())).toBeLessThan(60_000);
    await storePress('press-from-lagging-node', before - 30_000);
    const read = await contexts.partitionEventsStoredSince([partition], before, 100);
    expect(read.map((e) => e.eventId)).toEqual(['press-from-lagging-node']);
    expect(read[0].storedAt).toBeGreaterThanOrEqual(before);
    expect(read[0].receivedAt).toBe(before - 30_000);
    expect(await contexts.partitionEventsStoredSince([partition + 1], before, 100)).toEqual([]);
    expect(await contexts.partitionEventsStoredSince([partition], (await contexts.databaseNow()) + 1, 100)).toEqual([]);
  });

  it('on boot, replays an event stored after the cursor even when a lagging node stamped it long before', async () => {
    const [{ event_cursor: cursor }] = await database.db
      .selectFrom('bed_rule_state')
      .select('event_cursor')
      .where('bed_id', '=', bedId)
      .execute();
    expect(cursor).not.toBeNull();
    // Received by a node whose clock ran a minute behind, and stored (by the database's clock) now.
    const stampedAt = new Date(cursor!).getTime() - 60_000;
    await storePress('press-stamped-behind', stampedAt);
    const { runner, acks } = await startRunner(new ManualClock(T0 + 200_000));
    await runner.beforeApplicationShutdown();
    expect(acks).toEqual(
      expect.arrayContaining([expect.objectContaining({ eventId: 'press-stamped-behind', status: 'alarm' })]),
    );
  });

  it("reads a bed's events since a cursor by their storing time, and rows kept before it by their receive time", async () => {
    const contexts = new BedContextRepository(database);
    const since = await contexts.databaseNow();
    await storePress('stored-now-stamped-behind', since - 60_000);
    await storePress('kept-before-recent', since + 1_000);
    await storePress('kept-before-old', since - 60_000);
    await keptBeforeStoringTimes(['kept-before-recent', 'kept-before-old']);
    const read = (await contexts.eventsStoredSince(bedId, since)).map((e) => e.eventId);
    expect(read.sort()).toEqual(['kept-before-recent', 'stored-now-stamped-behind']);
  });

  it('finds beds with recent events and no saved state, by storing time and, for rows kept before it, by receive time', async () => {
    const contexts = new BedContextRepository(database);
    const since = await contexts.databaseNow();
    const [{ household_id: householdId }] = await database.db
      .selectFrom('beds')
      .select('household_id')
      .where('id', '=', bedId)
      .execute();
    const newBed = async (label: string, eventId: string, receivedAt: number) => {
      const id = randomUUID();
      const deviceId = `button-${randomUUID().slice(0, 8)}`;
      await database.db
        .insertInto('beds')
        .values({ id, household_id: householdId, resident_id: null, label })
        .execute();
      await addButton(deviceId, id);
      await storePress(eventId, receivedAt, { deviceId, onBed: id });
      return id;
    };
    const stampedBehind = await newBed('stamped behind', 'new-bed-press', since - 60_000);
    const keptRecent = await newBed('kept before, recent', 'kept-recent', since + 1_000);
    const keptOld = await newBed('kept before, old', 'kept-old', since - 60_000);
    await keptBeforeStoringTimes(['kept-recent', 'kept-old']);
    const found = await contexts.bedsWithEventsSince(since);
    expect(found).toEqual(expect.arrayContaining([stampedBehind, keptRecent]));
    expect(found).not.toContain(keptOld);
    // The suite's own bed has a saved state: its first events were evaluated.
    expect(found).not.toContain(bedId);
  });
});
