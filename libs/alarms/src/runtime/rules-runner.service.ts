import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subject, type Subscription } from 'rxjs';
import { Clock, DomainError } from '@bedside/common';
import { PRIORITY_EVENT_TYPES } from '@bedside/contracts';
import { AlarmAckOutbox, IngestEvents, type DeviceStatusChange, type StoredDeviceEvent } from '@bedside/ingest';
import { Metrics } from '@bedside/observability';
import { RegistryEvents, type DeviceAccessChange } from '@bedside/registry';
import type { TelemetryPoint } from '@bedside/telemetry';
import type { BedRuleState, Evaluation, RuleInput } from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import { AlarmRepository, type Executor } from '../persistence/alarm.repository';
import { BedContextRepository, type BedContext, type LoggedDeviceEvent } from '../persistence/bed-context.repository';
import { ApplyOutcome } from './alarm-applier';
import { AlarmCommitter, type EvaluationWrite } from './alarm-committer';
import { BedCheckpoints } from './bed-checkpoints';
import { BedEntries } from './bed-entries';
import { nextWakeAt, storedState, type BedEntry } from './bed-entry';
import { dueEscalations, movesReadingsOnly, runInputs, silentDevices } from './bed-evaluation';
import { BedQueue } from './bed-queue';
import { BedQueueMetrics } from './bed-queue.metrics';
import { BedTimers } from './bed-timers';
import { eventInput, kindForEvent, statusInput } from './input-mapper';
import { TelemetryBatch } from './telemetry-batch';
import { isFenced, type ReleaseReason } from '@bedside/cluster';
import { DatabaseHealth } from '@bedside/database';
import { BedOwnership } from './bed-ownership';
import { ClusterInputs } from './cluster-inputs';
import { PartitionGates } from './partition-gates';

/** Stored events a little older than the cursor are replayed too: rows become visible in commit order, not in stored_at order, and the rules drop repeats by event id. */
const REPLAY_MARGIN_MS = 5_000;
const RETRY_MS = 1_000;

type Source = { event?: Pick<StoredDeviceEvent, 'deviceId' | 'eventId' | 'type' | 'receivedAt' | 'storedAt'> };
const NO_SOURCE: Source = Object.freeze({});
/** What process() returns when nothing was written (most telemetry): one shared, never-filled outcome instead of two Maps per message. */
const UNCHANGED: ApplyOutcome = Object.freeze(new ApplyOutcome());

/** An operator change written in the same transaction, before the rule inputs it returns are evaluated. */
export type OperatorStep = (
  tx: Executor,
  out: ApplyOutcome,
  entry: { ctx: BedContext; state: BedRuleState },
) => Promise<RuleInput[]>;

/**
 * Wires the pure rules library into the running hub: one evaluation per input and bed, serialised
 * per bed (BedQueue), telemetry gathered in short batches (TelemetryBatch), one timer per bed at
 * min(rule deadline, next escalation) (BedTimers). What an evaluation needs written is committed
 * by AlarmCommitter, then streamed and acknowledged; what it moved only in memory waits for the
 * next checkpoint (BedCheckpoints). Recovers after a crash from the saved states and the device
 * events stored after each bed's cursor.
 */
@Injectable()
export class RulesRunner implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger('RulesRunner');
  private readonly queue: BedQueue;
  private readonly timers: BedTimers;
  private readonly telemetry: TelemetryBatch;
  /** Clustered: partitions this node gained and is still recovering. */
  private readonly gates = new PartitionGates((partitions) => this.recoverPartitions(partitions));
  private subscriptions: Subscription[] = [];
  /**
   * Clustered: partitions this node gained and recovered. Work kept in memory per alarm
   * elsewhere (hold returns, display checks) is armed again for them.
   */
  readonly partitionsRecovered$ = new Subject<number[]>();
  private recovered!: Promise<void>;
  private recoveryState: 'running' | 'done' | 'failed' = 'running';

  constructor(
    private readonly beds: BedEntries,
    private readonly committer: AlarmCommitter,
    private readonly checkpoints: BedCheckpoints,
    private readonly ingest: IngestEvents,
    private readonly registry: RegistryEvents,
    private readonly alarms: AlarmRepository,
    private readonly contexts: BedContextRepository,
    private readonly config: AlarmsConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly alarmAcks: AlarmAckOutbox,
    private readonly database: DatabaseHealth,
    private readonly ownership: BedOwnership,
    private readonly cluster: ClusterInputs,
  ) {
    // Calls for help are evaluated ahead of other beds' queued work (BedQueue); their wait is measured.
    const queueMetrics = new BedQueueMetrics(metrics);
    this.queue = new BedQueue({ now: () => clock.now(), onPriorityStart: (s) => queueMetrics.priorityStarted(s) });
    queueMetrics.watch(this.queue);
    this.timers = new BedTimers(
      () => this.clock.now(),
      (bedId) => void this.tick(bedId),
    );
    // Device events are not batched.
    this.telemetry = new TelemetryBatch((bedId, inputs, now) => this.enqueue(bedId, inputs, now, NO_SOURCE));
  }

  onModuleInit(): void {
    // Subscribe before devices can connect; every job waits for recovery to finish first.
    // Clustered, a node owns no bed at boot: each partition is recovered when its lease is gained.
    this.recovered = this.ownership.clustered ? Promise.resolve() : this.recoverBeds(() => true);
    this.ownership.listen({
      acquired: (partition) => {
        // Anything still cached for it predates this lease (a load that finished after the last
        // release): recovery reads the beds afresh.
        this.forgetPartition(partition);
        this.gates.close(partition);
      },
      released: (partition, epoch, reason) => this.partitionReleased(partition, epoch, reason),
    });
    this.cluster.start({
      telemetry: (points) => this.telemetry.add(points, this.clock.now()),
      event: (e) => this.onEvent(e),
      status: (s) => this.onStatus(s),
      access: (c) => this.onDeviceAccess(c),
      rules: (ids) => this.rulesChangedHere(ids),
    });
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
    this.checkpoints.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.subscriptions.forEach((s) => s.unsubscribe());
    await this.cluster.stop();
    await this.telemetry.flush();
    this.timers.stop();
    this.checkpoints.stop();
    await this.gates.settled();
    await this.queue.idle();
    await this.checkpoints.checkpoint();
  }

  /** Resolves once boot recovery is done (tests). */
  ready(): Promise<void> {
    return this.recovered;
  }

  /** Boot recovery (saved states restored, missed events replayed, overdue timers fired): for readiness. */
  get recovery(): 'running' | 'done' | 'failed' {
    return this.recoveryState;
  }

  /** Clustered: partitions gained and not yet recovered (their beds' work waits). */
  get partitionsRecovering(): number {
    return this.gates.closed;
  }

  onTelemetry(received: readonly TelemetryPoint[]): void {
    const mine = this.cluster.forwardTelemetry(received);
    if (mine.length) this.telemetry.add(mine, this.clock.now());
  }

  onEvent(e: StoredDeviceEvent | LoggedDeviceEvent): void {
    if (!e.bedId || this.cluster.forward(e.bedId, { kind: 'bed.event', event: e })) return;
    // Clustered: met already (from the fast path or the database read).
    if (!this.cluster.firstSight(e)) return;
    this.enqueue(e.bedId, [eventInput(e)], e.receivedAt, { event: e });
  }

  onStatus(s: DeviceStatusChange): void {
    const input = statusInput(s);
    if (!input || !s.bedId || this.cluster.forward(s.bedId, { kind: 'bed.status', change: s })) return;
    this.enqueue(s.bedId, [input], s.at, {});
  }

  /** A device that left a bed (moved, unbound, revoked) is forgotten there, so its silence raises nothing. */
  onDeviceAccess(c: DeviceAccessChange): void {
    if (!c.fromBedId || c.fromBedId === c.toBedId) return;
    if (this.cluster.forward(c.fromBedId, { kind: 'bed.access', change: c })) return;
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
    return this.run(bedId, () => this.process(bedId, [{ type: 'tick' }], this.clock.now(), {})).then(
      () => undefined,
      (err) => this.failed(bedId, err),
    );
  }

  /** Runs an operator change in the bed's queue and one transaction with the rule inputs it returns. */
  operate(bedId: string, step: OperatorStep): Promise<ApplyOutcome> {
    return this.run(bedId, () => this.process(bedId, [], this.clock.now(), {}, step));
  }

  /**
   * Rules changed for these beds (or every bed when null): drop cached rule sets and re-arm
   * timers under the new rules, here and, clustered, on the owners of the other beds.
   */
  rulesChanged(bedIds: string[] | null): Promise<void> {
    return this.rulesChangedHere(this.cluster.forwardRulesChanged(bedIds));
  }

  private async rulesChangedHere(bedIds: string[] | null): Promise<void> {
    const ids = bedIds ?? this.beds.ids();
    this.beds.rulesChanged(ids);
    await Promise.all(ids.map((id) => this.tick(id)));
  }

  /** Cached state of a bed (for diagnostics and tests). */
  async bedState(bedId: string): Promise<BedRuleState> {
    return this.run(bedId, async () => (await this.beds.get(bedId)).state);
  }

  private enqueue(bedId: string, inputs: RuleInput[], now: number, source: Source): void {
    if (this.ownership.clustered && this.ownership.tokenFor(bedId) === undefined) return;
    if (!source.event && this.evaluateInline(bedId, inputs, now)) return;
    const priority = source.event !== undefined && PRIORITY_EVENT_TYPES.has(source.event.type);
    this.run(bedId, () => this.process(bedId, inputs, now, source), priority).catch((err) =>
      this.failed(bedId, err, source.event),
    );
  }

  /** In the bed's queue, after its partition's recovery when that is still running. */
  private run<T>(bedId: string, job: () => Promise<T>, priority = false): Promise<T> {
    const gate = this.gates.closed ? this.gates.of(this.ownership.partitionOf(bedId)) : undefined;
    return this.queue.run(bedId, job, { priority, after: gate });
  }

  /**
   * The hot path, without a promise: a loaded bed with nothing queued, inputs that move only
   * readings. Evaluated at once and kept for the next checkpoint; false when the evaluation needs
   * the queue (a bed or rules to load, a replay, an escalation due, a transaction to write), which
   * then evaluates it again in turn. Per-bed order holds: nothing of this bed is queued or running.
   */
  private evaluateInline(bedId: string, inputs: RuleInput[], now: number): boolean {
    const entry = this.beds.cached(bedId);
    const ruleSet = entry?.ruleSet;
    if (
      !entry ||
      !ruleSet ||
      entry.needsReplay ||
      !this.queue.isIdle(bedId) ||
      (this.gates.closed > 0 && this.gates.of(this.ownership.partitionOf(bedId))) ||
      dueEscalations(entry.escalations, now).length > 0
    )
      return false;
    try {
      return this.keepIfReadingsOnly(entry, runInputs(ruleSet, entry.state, inputs, now));
    } catch (err) {
      this.failed(bedId, err);
      return true;
    }
  }

  /** Nothing raised, nothing durable changed: keep the new state in memory for the next checkpoint. */
  private keepIfReadingsOnly(entry: BedEntry, result: Evaluation): boolean {
    if (!movesReadingsOnly(entry.state, result)) return false;
    if (result.state !== entry.state) {
      entry.state = result.state;
      entry.version += 1;
    }
    this.schedule(entry);
    return true;
  }

  private failed(bedId: string, err: unknown, event?: Source['event']): void {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') {
      // An event for a bed that no longer exists: nothing to retry.
      this.log.warn({ msg: 'input for unknown bed dropped', bedId });
      return;
    }
    if (isFenced(err) || (err instanceof DomainError && err.code === 'PARTITION_UNAVAILABLE')) {
      // The lease moved (or was claimed again at a new epoch): whoever holds it now recovers the
      // bed from what is stored, and the event is read again from the database, here too, in
      // case this node is that holder.
      this.forget(bedId);
      if (event) this.cluster.unsee(event);
      return;
    }
    // The input is in device_events (or will be superseded by the next sample): retry from the cursor soon.
    if (!this.database.unavailable('rules', err))
      this.log.error({ msg: 'rule evaluation not committed; retrying', bedId, err: (err as Error).message });
    const entry = this.beds.cached(bedId);
    if (entry) entry.needsReplay = true;
    this.timers.set(bedId, this.clock.now() + RETRY_MS);
  }

  /**
   * One evaluation of a bed, in its queue: evaluate (pure), keep it in memory when it moved only
   * readings, else commit it (AlarmCommitter), then update the entry, re-arm its timer and ack
   * the device event that caused it. An operator step runs first, in the evaluation's transaction.
   */
  private async process(
    bedId: string,
    inputs: RuleInput[],
    now: number,
    source: Source,
    step?: OperatorStep,
  ): Promise<ApplyOutcome> {
    const fence = this.ownership.tokenFor(bedId);
    if (fence === undefined) return this.notActingFor(bedId, source, step);
    // Cached bed and rules (every message after a bed's first) are read without awaiting: two
    // fewer promise round trips per message on the hot path.
    const entry = this.beds.cached(bedId) ?? (await this.beds.get(bedId));
    if (entry.needsReplay) {
      entry.needsReplay = false;
      await this.replay(entry, (entry.cursor ?? now) - REPLAY_MARGIN_MS);
    }
    const ruleSet = entry.ruleSet ?? (await this.beds.rules(entry));
    if (this.ownership.clustered) {
      const silent = silentDevices(entry.state, ruleSet, now);
      if (silent.length > 0) inputs = [...(await this.cluster.storedSightings(silent)), ...inputs];
    }
    const due = dueEscalations(entry.escalations, now);
    // By the database's clock; an event without it (sent on before it was stored) leaves the
    // cursor where it was, so a replay reads it again once stored.
    const storedAt = source.event?.storedAt;
    const cursor = storedAt === undefined ? entry.cursor : Math.max(entry.cursor ?? 0, storedAt);

    // Evaluate first (pure): readings that change nothing durable need no write at all.
    let result = step ? null : runInputs(ruleSet, entry.state, inputs, now);
    if (result && due.length === 0 && !source.event && this.keepIfReadingsOnly(entry, result)) return UNCHANGED;
    const version = entry.version + 1;
    const write = (r: Evaluation): EvaluationWrite => ({
      organisationId: entry.ctx.organisationId,
      saved: storedState(entry, r.state, cursor, version),
      actions: r.actions,
      due,
      now,
    });
    const out = step
      ? await this.committer.transaction(async (tx, o) => {
          result = runInputs(ruleSet, entry.state, [...(await step(tx, o, entry)), ...inputs], now);
          await this.committer.writeEvaluation(tx, write(result), o);
        }, fence)
      : await this.committer.commitEvaluation(write(result!), fence);

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
   * Clustered, the lease of the bed's partition is not vouched for right now. When the partition
   * moved, its bed is forgotten (by the release, or here when a load finished after it) and the
   * new owner replays what is stored. When it is still held and only a renewal is late, nothing
   * may be lost: the event is read again from the database and the bed ticks again shortly.
   */
  private notActingFor(bedId: string, source: Source, step?: OperatorStep): ApplyOutcome {
    const partition = this.ownership.partitionOf(bedId);
    if (step) throw partitionUnavailable(partition);
    if (source.event) this.cluster.unsee(source.event);
    if (!this.ownership.heldPartitions().includes(partition)) {
      // Moved away: not this node's to keep or to tick.
      this.forget(bedId);
      return UNCHANGED;
    }
    const entry = this.beds.cached(bedId);
    if (entry) {
      entry.needsReplay = true;
      this.timers.set(bedId, this.clock.now() + RETRY_MS);
    }
    return UNCHANGED;
  }

  /** The device learns which alarm its event raised (a call button can show "help is coming"), durably; the delay is measured. */
  private eventRaised(event: NonNullable<Source['event']>, out: ApplyOutcome): void {
    const kind = kindForEvent(event.type);
    const alarm = kind ? out.raisedOrUpdated.get(kind) : undefined;
    if (kind && alarm) this.metrics.eventToAlarm.observe({ kind }, (this.clock.now() - event.receivedAt) / 1000);
    this.alarmAcks.evaluated(event, alarm?.id ?? null);
  }

  private schedule(entry: BedEntry): void {
    this.timers.set(entry.ctx.bedId, nextWakeAt(entry));
  }

  /**
   * Device events stored at or after `since` (the database's clock) are evaluated at their
   * stored receive time (replay gives the same episode keys).
   */
  private async replay(entry: BedEntry, since: number): Promise<void> {
    const events = await this.contexts.eventsStoredSince(entry.ctx.bedId, since);
    for (const e of events) await this.process(entry.ctx.bedId, [eventInput(e)], e.receivedAt, { event: e });
  }

  /**
   * Restores the beds `mine` selects (boot: every bed; clustered: a gained partition's): each
   * saved state, then the device events stored after its cursor (an event is stored before
   * PUBACK, so one acknowledged but never evaluated is not lost), then a tick at now: overdue
   * timers fire in order at their own instants, and escalations resume.
   */
  private async recoverBeds(mine: (bedId: string) => boolean): Promise<void> {
    const started = this.clock.now();
    const stored = (await this.beds.savedBedIds()).filter(mine);
    const escalations = (await this.alarms.pendingEscalations()).filter((e) => mine(e.bedId));
    const adopted = (await this.contexts.bedsWithEventsSince(started - this.config.adoptReplayMs)).filter(mine);
    const bedIds = new Set([...stored, ...adopted, ...escalations.map((e) => e.bedId)]);
    await Promise.all(
      [...bedIds].map(async (bedId) => {
        try {
          const entry = await this.beds.get(bedId);
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

  /** Clustered takeover: today's crash recovery, for the gained partitions' beds only. */
  private async recoverPartitions(partitions: number[]): Promise<void> {
    const set = new Set(partitions);
    try {
      await this.recoverBeds((bedId) => set.has(this.ownership.partitionOf(bedId)));
    } catch (err) {
      // The partitions stay owned; their beds load on first use and replay from their cursors.
      this.log.error({ msg: 'partition recovery failed', partitions, err: (err as Error).message });
    }
    this.partitionsRecovered$.next(partitions);
  }

  /**
   * A partition is no longer this node's. Handed over (rebalance, drain): its queued work ends,
   * its last in-memory states are written under the old epoch (the lease row is released only
   * after this returns), then its beds are forgotten. Lost (expired, taken): forgotten at once;
   * anything still in flight is refused by the fence.
   */
  private async partitionReleased(partition: number, epoch: number, reason: ReleaseReason): Promise<void> {
    const entries = this.entriesOf(partition);
    const ids = entries.map((e) => e.ctx.bedId);
    for (const id of ids) this.timers.set(id, null);
    if (reason !== 'lost') {
      await this.queue.settled(ids);
      await this.checkpoints.checkpointPartition(entries, this.ownership.token(partition, epoch));
    }
    for (const id of ids) this.forget(id);
    this.log.log({ msg: 'partition released', partition, reason, beds: ids.length });
  }

  private entriesOf(partition: number): BedEntry[] {
    return [...this.beds.values()].filter((e) => this.ownership.partitionOf(e.ctx.bedId) === partition);
  }

  private forgetPartition(partition: number): void {
    for (const e of this.entriesOf(partition)) this.forget(e.ctx.bedId);
  }

  private forget(bedId: string): void {
    this.timers.set(bedId, null);
    this.beds.drop(bedId);
  }
}

function partitionUnavailable(partition: number): DomainError {
  return new DomainError('PARTITION_UNAVAILABLE', `partition ${partition} is held by another node or moving`, {
    partition,
  });
}
