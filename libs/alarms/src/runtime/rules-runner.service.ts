import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { Clock, DomainError, inSlices } from '@bedside/common';
import { Database } from '@bedside/database';
import { DownlinkPublisher } from '@bedside/broker';
import { AlarmAckOutbox, IngestEvents, type DeviceStatusChange, type StoredDeviceEvent } from '@bedside/ingest';
import { Metrics } from '@bedside/observability';
import { RegistryEvents, type DeviceAccessChange } from '@bedside/registry';
import type { TelemetryPoint } from '@bedside/telemetry';
import {
  evaluate,
  initialBedState,
  nextDeadline,
  type BedRuleState,
  type Evaluation,
  type RaiseAction,
  type RuleAction,
  type RuleInput,
  type RuleSet,
} from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import { AlarmRepository, type Executor } from '../persistence/alarm.repository';
import { BedContextRepository, type BedContext } from '../persistence/bed-context.repository';
import { BedRuleStateRepository, type StoredBedState } from '../persistence/bed-rule-state.repository';
import { RuleConfigService } from '../services/rule-config.service';
import { AlarmApplier, ApplyOutcome } from './alarm-applier';
import { AlarmStream } from './alarm-stream';
import { AsyncMutex } from './async-mutex';
import { BedQueue } from './bed-queue';
import { sameDurableState } from './durable-state';
import { BedTimers } from './bed-timers';
import { SharedRuleSets } from './shared-rule-sets';
import { eventInput, inTimeOrder, kindForEvent, statusInput, telemetryInput } from './input-mapper';

interface BedEntry {
  ctx: BedContext;
  /** Effective rules, loaded on first use and dropped when they change. */
  ruleSet: RuleSet | null;
  /** Bumped on every rules change, so a load that raced one is not cached. */
  rulesGeneration: number;
  state: BedRuleState;
  /** received_at of the last device event evaluated. */
  cursor: number | null;
  /** Open unacknowledged alarms of the bed -> next escalation instant. */
  escalations: Map<string, number>;
  /** A commit failed: replay stored device events from the cursor before the next evaluation. */
  needsReplay: boolean;
  /** Bumped on every state change; `savedVersion` is what the database has. */
  version: number;
  savedVersion: number;
}

/** Stored events a little older than the cursor are replayed too: arrival order across devices is not strict, and the rules drop repeats by event id. */
const REPLAY_MARGIN_MS = 5_000;
const RETRY_MS = 1_000;
/**
 * State changed by telemetry or status alone (nothing durable per sameDurableState, no alarm
 * action, no device event) is checkpointed in batched writes this often instead of one
 * transaction per sample: at 10,000 beds and 1 Hz that is ~670 rows a second instead of ten
 * thousand transactions (at 5 s, 2,000 rows a second kept PostgreSQL busy enough that device
 * events stored during a checkpoint waited up to ~150 ms). What a crash can lose is only what
 * sliding readings moved (last-seen instants, latest values): after a restart a silent device's
 * offline timer may fire up to this much early. Conditions starting, alarms, events and timers being armed are always written at
 * once in their own transaction.
 */
const CHECKPOINT_MS = 15_000;
const CHECKPOINT_SLICE = 250;
/**
 * How long telemetry is gathered before it is evaluated (see onTelemetry). At 10,000 msg/s a
 * batch is ~500 evaluations, ~5 ms of work; vital-sign and presence rules hold for seconds.
 */
const TELEMETRY_BATCH_MS = 50;
/** Telemetry evaluations per event-loop turn (~1-2 ms of work). */
const EVALUATION_SLICE = 200;

type Source = { event?: Pick<StoredDeviceEvent, 'deviceId' | 'eventId' | 'type' | 'receivedAt'> };
const NO_SOURCE: Source = Object.freeze({});
/** What process() returns when nothing was written (most telemetry): one shared, never-filled outcome instead of two Maps per message. */
const UNCHANGED: ApplyOutcome = Object.freeze(new ApplyOutcome());

/** The inputs evaluated in order from `state`, their actions concatenated. */
function runInputs(ruleSet: RuleSet, state: BedRuleState, inputs: readonly RuleInput[], now: number): Evaluation {
  if (inputs.length === 1) return evaluate(ruleSet, state, inputs[0], now);
  const actions: RuleAction[] = [];
  for (const input of inputs) {
    const r = evaluate(ruleSet, state, input, now);
    state = r.state;
    for (const a of r.actions) actions.push(a);
  }
  return { state, actions };
}

/** The raise when it is an evaluation's only action (an SOS press, a fall), else null. */
function loneRaise(actions: readonly RuleAction[]): RaiseAction | null {
  return actions.length === 1 && actions[0].type === 'raise' ? actions[0] : null;
}

const NONE_DUE: readonly string[] = Object.freeze([]);

/** Ids of the bed's unacknowledged alarms whose escalation is due at `now`. */
function dueEscalations(entry: BedEntry, now: number): readonly string[] {
  if (entry.escalations.size === 0) return NONE_DUE; // most beds, on every message
  const due: string[] = [];
  for (const [id, at] of entry.escalations) if (at <= now) due.push(id);
  return due;
}

/** An operator change written in the same transaction, before the rule inputs it returns are evaluated. */
export type OperatorStep = (
  tx: Executor,
  out: ApplyOutcome,
  entry: { ctx: BedContext; state: BedRuleState },
) => Promise<RuleInput[]>;

/**
 * Wires the pure rules library into the running hub: one evaluation per input and bed, serialised
 * per bed, committed in one transaction with the alarm changes, then streamed and acknowledged.
 * One timer per bed at min(rule deadline, next escalation). Recovers after a crash from the saved
 * states and the device events stored after each bed's cursor.
 */
@Injectable()
export class RulesRunner implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger('RulesRunner');
  private readonly beds = new Map<string, BedEntry>();
  private readonly queue = new BedQueue();
  private readonly ruleSets = new SharedRuleSets();
  /** alarm_events ids must reach the stream in order: transactions that append them take turns. */
  private readonly eventsLock = new AsyncMutex();
  private readonly timers: BedTimers;
  private subscriptions: Subscription[] = [];
  private recovered!: Promise<void>;
  private recoveryState: 'running' | 'done' | 'failed' = 'running';
  private checkpointTimer: NodeJS.Timeout | null = null;
  private telemetryBatch: { bedId: string; inputs: RuleInput[]; now: number }[] = [];
  private telemetryTimer: NodeJS.Timeout | null = null;
  /** Batches whose slices are still being evaluated (awaited at shutdown). */
  private evaluating: Promise<void> = Promise.resolve();
  private checkpointing: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly ingest: IngestEvents,
    private readonly downlink: DownlinkPublisher,
    private readonly alarms: AlarmRepository,
    private readonly states: BedRuleStateRepository,
    private readonly contexts: BedContextRepository,
    private readonly ruleConfig: RuleConfigService,
    private readonly applier: AlarmApplier,
    private readonly stream: AlarmStream,
    private readonly config: AlarmsConfig,
    private readonly clock: Clock,
    private readonly registry: RegistryEvents,
    private readonly metrics: Metrics,
    private readonly alarmAcks: AlarmAckOutbox,
  ) {
    this.timers = new BedTimers(
      () => this.clock.now(),
      (bedId) => void this.tick(bedId),
    );
  }

  onModuleInit(): void {
    // Subscribe before devices can connect; every job waits for recovery to finish first.
    this.recovered = this.recover();
    this.recovered.then(
      () => (this.recoveryState = 'done'),
      (err: Error) => {
        // Inputs still get evaluated (the gate opens), but what was missed before the restart was not replayed.
        this.recoveryState = 'failed';
        this.log.error({
          msg: 'boot recovery failed; events stored before the restart were not replayed',
          err: err.message,
        });
      },
    );
    this.queue.hold(this.recovered.catch(() => undefined));
    this.subscriptions = [
      this.ingest.telemetry$.subscribe((points) => this.onTelemetry(points)),
      this.ingest.events$.subscribe((e) => this.onEvent(e)),
      this.ingest.status$.subscribe((s) => this.onStatus(s)),
      this.registry.deviceAccess$.subscribe((c) => this.onDeviceAccess(c)),
      this.registry.householdUpdated$.subscribe(({ householdId }) => void this.onHouseholdUpdated(householdId)),
    ];
    this.checkpointTimer = setInterval(() => void this.checkpoint(), CHECKPOINT_MS);
    this.checkpointTimer.unref();
  }

  /** Writes every bed state changed without a transaction since the last checkpoint. */
  checkpoint(): Promise<void> {
    this.checkpointing = this.checkpointing.then(async () => {
      const dirty = [...this.beds.values()].filter((e) => e.version > e.savedVersion);
      if (dirty.length === 0) return;
      const snapshot = dirty.map((e) => ({
        entry: e,
        saved: {
          bedId: e.ctx.bedId,
          state: e.state,
          nextDeadline: nextDeadline(e.state),
          eventCursor: e.cursor,
          version: e.version,
        },
      }));
      try {
        // In slices, each awaited: serialising ten thousand states in one statement held the
        // event loop long enough to show in the SOS -> alarm p99.
        for (let i = 0; i < snapshot.length; i += CHECKPOINT_SLICE) {
          const slice = snapshot.slice(i, i + CHECKPOINT_SLICE);
          await this.states.saveMany(
            this.database.db,
            slice.map((s) => s.saved),
          );
          for (const s of slice) s.entry.savedVersion = Math.max(s.entry.savedVersion, s.saved.version);
        }
      } catch (err) {
        this.log.error({
          msg: 'rule state checkpoint failed; will retry',
          beds: dirty.length,
          err: (err as Error).message,
        });
      }
    });
    return this.checkpointing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.subscriptions.forEach((s) => s.unsubscribe());
    await this.evaluateTelemetryBatch();
    this.timers.stop();
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    await this.queue.idle();
    await this.checkpoint();
  }

  /** Resolves once boot recovery is done (tests). */
  ready(): Promise<void> {
    return this.recovered;
  }

  /** Boot recovery (saved states restored, missed events replayed, overdue timers fired): for readiness. */
  get recovery(): 'running' | 'done' | 'failed' {
    return this.recoveryState;
  }

  /**
   * Telemetry is gathered for TELEMETRY_BATCH_MS and then evaluated bed after bed in one go:
   * evaluations run back to back find the engine's code and the shared rules in the CPU caches,
   * where one evaluation between every two MQTT packets found them evicted (A/B in bench/NOTES.md).
   * Each input keeps its arrival time as `now` (the hub clock: timers, silence, episodes' raise
   * instants); vital-sign holds read each sample's own `ts`, so an upload of two minutes of samples
   * is judged as if they had been streamed, and a device clock never moves the hub's timers.
   * Device events are not batched.
   */
  onTelemetry(received: readonly TelemetryPoint[]): void {
    const now = this.clock.now();
    const points = inTimeOrder(received);
    if (points.length === 1) {
      // The usual message: one sample of one device.
      if (points[0].bedId) this.batchTelemetry(points[0].bedId, [telemetryInput(points[0])], now);
      return;
    }
    const byBed = new Map<string, RuleInput[]>();
    for (const p of points) {
      if (!p.bedId) continue;
      const list = byBed.get(p.bedId);
      if (list) list.push(telemetryInput(p));
      else byBed.set(p.bedId, [telemetryInput(p)]);
    }
    for (const [bedId, inputs] of byBed) this.batchTelemetry(bedId, inputs, now);
  }

  private batchTelemetry(bedId: string, inputs: RuleInput[], now: number): void {
    this.telemetryBatch.push({ bedId, inputs, now });
    this.telemetryTimer ??= setTimeout(() => this.evaluateTelemetryBatch(), TELEMETRY_BATCH_MS);
  }

  /**
   * In slices (inSlices): a batch gathered while the loop was slow can hold thousands of inputs,
   * and a database reply an SOS waits for should not wait behind all of them.
   */
  private evaluateTelemetryBatch(): Promise<void> {
    if (this.telemetryTimer) clearTimeout(this.telemetryTimer);
    this.telemetryTimer = null;
    const batch = this.telemetryBatch;
    this.telemetryBatch = [];
    // After the previous batch's last slice: a bed's samples are evaluated in arrival order.
    this.evaluating = this.evaluating.then(() =>
      inSlices(batch, (t) => this.enqueue(t.bedId, t.inputs, t.now, NO_SOURCE), EVALUATION_SLICE),
    );
    return this.evaluating;
  }

  onEvent(e: StoredDeviceEvent): void {
    if (!e.bedId) return;
    this.enqueue(e.bedId, [eventInput(e)], e.receivedAt, { event: e });
  }

  onStatus(s: DeviceStatusChange): void {
    const input = statusInput(s);
    if (!input || !s.bedId) return;
    this.enqueue(s.bedId, [input], s.at, {});
  }

  /** A device that left a bed (moved, unbound, revoked) is forgotten there, so its silence raises nothing. */
  onDeviceAccess(c: DeviceAccessChange): void {
    if (c.fromBedId && c.fromBedId !== c.toBedId)
      this.enqueue(c.fromBedId, [{ type: 'device.removed', deviceId: c.deviceId }], this.clock.now(), {});
  }

  /** A household's time zone feeds every bed's effective rules (night window). */
  private async onHouseholdUpdated(householdId: string): Promise<void> {
    try {
      await this.rulesChanged(await this.contexts.bedsOfHousehold(householdId));
    } catch (err) {
      this.log.error({ msg: 'rules not refreshed after a household change', householdId, err: (err as Error).message });
    }
  }

  tick(bedId: string): Promise<void> {
    return this.queue
      .run(bedId, () => this.process(bedId, [{ type: 'tick' }], this.clock.now(), {}))
      .then(
        () => undefined,
        (err) => this.failed(bedId, err),
      );
  }

  /** Runs an operator change in the bed's queue and one transaction with the rule inputs it returns. */
  operate(bedId: string, step: OperatorStep): Promise<ApplyOutcome> {
    return this.queue.run(bedId, () => this.process(bedId, [], this.clock.now(), {}, step));
  }

  /** Rules changed for these beds (or every bed when null): drop cached rule sets and re-arm timers under the new rules. */
  async rulesChanged(bedIds: string[] | null): Promise<void> {
    const ids = bedIds ?? [...this.beds.keys()];
    for (const id of ids) {
      const entry = this.beds.get(id);
      if (!entry) continue;
      entry.ruleSet = null;
      entry.rulesGeneration += 1;
    }
    await Promise.all(ids.map((id) => this.tick(id)));
  }

  /** Cached state of a bed (for diagnostics and tests). */
  async bedState(bedId: string): Promise<BedRuleState> {
    return this.queue.run(bedId, async () => (await this.entry(bedId)).state);
  }

  private enqueue(bedId: string, inputs: RuleInput[], now: number, source: Source): void {
    if (!source.event && this.evaluateInline(bedId, inputs, now)) return;
    this.queue.run(bedId, () => this.process(bedId, inputs, now, source)).catch((err) => this.failed(bedId, err));
  }

  /**
   * The hot path, without a promise: a loaded bed with nothing queued, inputs that move only
   * readings. Evaluated at once and kept for the next checkpoint; false when the evaluation needs
   * the queue (a bed or rules to load, a replay, an escalation due, a transaction to write), which
   * then evaluates it again in turn. Per-bed order holds: nothing of this bed is queued or running.
   */
  private evaluateInline(bedId: string, inputs: RuleInput[], now: number): boolean {
    const entry = this.beds.get(bedId);
    const ruleSet = entry?.ruleSet;
    if (!entry || !ruleSet || entry.needsReplay || !this.queue.isIdle(bedId) || dueEscalations(entry, now).length > 0)
      return false;
    try {
      return this.keepIfReadingsOnly(entry, runInputs(ruleSet, entry.state, inputs, now));
    } catch (err) {
      this.failed(bedId, err);
      return true;
    }
  }

  /** Nothing raised, nothing durable changed (sameDurableState): keep the new state in memory for the next checkpoint. */
  private keepIfReadingsOnly(entry: BedEntry, result: Evaluation): boolean {
    if (result.actions.length > 0 || !sameDurableState(entry.state, result.state)) return false;
    if (result.state !== entry.state) {
      entry.state = result.state;
      entry.version += 1;
    }
    this.schedule(entry);
    return true;
  }

  private failed(bedId: string, err: unknown): void {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') {
      // An event for a bed that no longer exists: nothing to retry.
      this.log.warn({ msg: 'input for unknown bed dropped', bedId });
      return;
    }
    // The input is in device_events (or will be superseded by the next sample): retry from the cursor soon.
    this.log.error({ msg: 'rule evaluation not committed; retrying', bedId, err: (err as Error).message });
    const entry = this.beds.get(bedId);
    if (entry) entry.needsReplay = true;
    this.timers.set(bedId, this.clock.now() + RETRY_MS);
  }

  private async process(
    bedId: string,
    inputs: RuleInput[],
    now: number,
    source: Source,
    step?: OperatorStep,
  ): Promise<ApplyOutcome> {
    // Cached bed and rules (every message after a bed's first) are read without awaiting: two
    // fewer promise round trips per message on the hot path.
    const entry = this.beds.get(bedId) ?? (await this.entry(bedId));
    if (entry.needsReplay) {
      entry.needsReplay = false;
      await this.replay(entry, (entry.cursor ?? now) - REPLAY_MARGIN_MS);
    }
    const ruleSet = entry.ruleSet ?? (await this.loadRules(entry));
    const due = dueEscalations(entry, now);
    const cursor = source.event ? Math.max(entry.cursor ?? 0, source.event.receivedAt) : entry.cursor;

    // Evaluate first (pure): readings that change nothing durable need no write at all.
    let result = step ? null : runInputs(ruleSet, entry.state, inputs, now);
    if (result && due.length === 0 && !source.event && this.keepIfReadingsOnly(entry, result)) return UNCHANGED;
    const version = entry.version + 1;
    const saved = (state: BedRuleState) => ({
      bedId,
      state,
      nextDeadline: nextDeadline(state),
      eventCursor: cursor,
      version,
    });
    const lone = !step && due.length === 0 ? loneRaise(result!.actions) : null;
    const out = lone
      ? await this.raiseAlone(entry, lone, saved(result!.state))
      : await this.inTransaction(async (tx) => {
          const o = new ApplyOutcome();
          if (step) result = runInputs(ruleSet, entry.state, [...(await step(tx, o, entry)), ...inputs], now);
          const { state, actions } = result!;
          await this.states.save(tx, saved(state));
          await this.alarms.logActions(tx, bedId, actions);
          await this.applier.apply(tx, entry.ctx.organisationId, actions, o);
          await this.applier.escalate(tx, due, now, o);
          return o;
        });

    entry.state = result!.state;
    entry.cursor = cursor;
    entry.version = Math.max(entry.version, version);
    entry.savedVersion = Math.max(entry.savedVersion, version);
    for (const [id, at] of out.escalations) {
      if (at === null) entry.escalations.delete(id);
      else entry.escalations.set(id, at);
    }
    this.schedule(entry);
    if (source.event) this.eventRaised(source.event, out);
    return out;
  }

  /**
   * Stream events reach the console in alarm_events id order, so their appends commit in id
   * order: the stream lock is taken for the transaction's last statement (its drafted events)
   * and the commit, not around the transaction, so a long operator or escalation transaction
   * does not hold up an SOS. Lock order is always connection, then stream lock (a holder never
   * waits for the pool, PGlite's one connection included).
   */
  private async inTransaction(work: (tx: Executor) => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
    const held: { release?: () => void } = {};
    try {
      const out = await this.database.db.transaction().execute(async (tx) => {
        const o = await work(tx);
        if (o.drafts.length > 0) {
          held.release = await this.eventsLock.acquire();
          await this.applier.appendDrafted(tx, o);
        }
        return o;
      });
      this.stream.emit(out.events);
      return out;
    } finally {
      held.release?.();
    }
  }

  /** One statement on a connection of its own: the alarm with the bed's rule state and the action journal (AlarmApplier.raise). */
  private raiseAlone(entry: BedEntry, action: RaiseAction, saved: StoredBedState): Promise<ApplyOutcome> {
    return this.database.db.connection().execute((db) =>
      this.eventsLock.lock(async () => {
        const out = new ApplyOutcome();
        await this.applier.raise(db, entry.ctx.organisationId, action, out, [
          this.states.saveQuery(db, [saved]),
          this.alarms.logActionsQuery(db, entry.ctx.bedId, [action]),
        ]);
        this.stream.emit(out.events);
        return out;
      }),
    );
  }

  /** The device learns which alarm its event raised (a call button can show "help is coming"), durably; the delay is measured. */
  private eventRaised(event: NonNullable<Source['event']>, out: ApplyOutcome): void {
    const kind = kindForEvent(event.type);
    const alarm = kind ? out.raisedOrUpdated.get(kind) : undefined;
    if (kind && alarm) this.metrics.eventToAlarm.observe({ kind }, (this.clock.now() - event.receivedAt) / 1000);
    this.alarmAcks.evaluated(event, alarm?.id ?? null);
  }

  private schedule(entry: BedEntry): void {
    let next = nextDeadline(entry.state);
    for (const at of entry.escalations.values()) if (next === null || at < next) next = at;
    this.timers.set(entry.ctx.bedId, next);
  }

  private async entry(bedId: string): Promise<BedEntry> {
    const cached = this.beds.get(bedId);
    if (cached) return cached;
    const ctx = await this.contexts.get(bedId);
    const stored = await this.states.get(bedId);
    // Only devices heard from before count towards silence: a device still in its box is not "offline".
    const devices = ctx.devices
      .filter((d) => d.lastSeenAt !== null)
      .map((d) => ({ id: d.id, kind: d.kind, lastSeenAt: d.lastSeenAt! }));
    const version = stored?.version ?? 0;
    const entry: BedEntry = {
      ctx,
      ruleSet: null,
      rulesGeneration: 0,
      state: stored?.state ?? initialBedState(bedId, { devices }),
      cursor: stored?.eventCursor ?? null,
      escalations: new Map(),
      needsReplay: false,
      version,
      savedVersion: version,
    };
    this.beds.set(bedId, entry);
    return entry;
  }

  private async loadRules(entry: BedEntry): Promise<RuleSet> {
    const generation = entry.rulesGeneration;
    const { ruleSet } = await this.ruleConfig.effective(entry.ctx.bedId);
    const shared = this.ruleSets.share(ruleSet);
    if (entry.rulesGeneration === generation) entry.ruleSet = shared;
    return shared;
  }

  /** Device events stored at or after `since` are evaluated at their stored receive time (replay gives the same episode keys). */
  private async replay(entry: BedEntry, since: number): Promise<void> {
    const events = await this.contexts.eventsSince(entry.ctx.bedId, since);
    for (const e of events) await this.process(entry.ctx.bedId, [eventInput(e)], e.receivedAt, { event: e });
  }

  /**
   * Boot: restore every saved bed, replay the device events stored after its cursor (an event is
   * stored before PUBACK, so one the hub acknowledged but never evaluated is not lost), then tick
   * at now: overdue timers fire in order at their own instants, and escalations resume.
   */
  private async recover(): Promise<void> {
    const started = this.clock.now();
    const stored = await this.states.all();
    const escalations = await this.alarms.pendingEscalations();
    const adopted = await this.contexts.bedsWithEventsSince(started - this.config.adoptReplayMs);
    const bedIds = new Set([...stored.map((s) => s.bedId), ...adopted, ...escalations.map((e) => e.bedId)]);
    await Promise.all(
      [...bedIds].map(async (bedId) => {
        try {
          const entry = await this.entry(bedId);
          for (const e of escalations) if (e.bedId === bedId) entry.escalations.set(e.id, e.at);
          await this.replay(
            entry,
            entry.cursor === null ? started - this.config.adoptReplayMs : entry.cursor - REPLAY_MARGIN_MS,
          );
          await this.process(bedId, [{ type: 'tick' }], this.clock.now(), {});
        } catch (err) {
          this.failed(bedId, err);
        }
      }),
    );
    this.log.log(
      `recovered ${bedIds.size} bed(s), ${escalations.length} alarm(s) awaiting acknowledgement, in ${this.clock.now() - started} ms`,
    );
  }
}
