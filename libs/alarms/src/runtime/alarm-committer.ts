import { Injectable } from '@nestjs/common';
import { assertPartitionEpoch, type FenceToken } from '@bedside/cluster';
import { Database } from '@bedside/database';
import { AlarmDomainError, type RaiseAction, type RuleAction, type UpdateAction } from '@bedside/rules';
import type { AlarmRecord } from '../model/alarm-record';
import { AlarmRepository, type Executor, type StatementPart } from '../persistence/alarm.repository';
import { BedRuleStateRepository, type StoredBedState } from '../persistence/bed-rule-state.repository';
import { AlarmApplier, ApplyOutcome, type PlannedChange } from './alarm-applier';
import { AlarmStream } from './alarm-stream';
import { AsyncMutex } from './async-mutex';
import { loneAlarmWrite } from './bed-evaluation';

/** One evaluation of a bed, to be written: its rule state, its actions and the escalations due. */
export interface EvaluationWrite {
  organisationId: string;
  saved: StoredBedState;
  actions: readonly RuleAction[];
  /** Alarm ids whose escalation is due at `now`. */
  due: readonly string[];
  now: number;
}

/**
 * The one way an alarm change is committed and reaches the live stream. Two strategies, chosen
 * here only:
 * - an evaluation whose only write is a raise (an SOS, a fall) is one statement on a connection
 *   of its own: the alarm, its stream event, the bed's rule state and the action journal
 *   (AlarmRepository.raisePart with `alongside`). One round trip, and each round trip waits for
 *   a turn of a busy event loop: most of an alarm's latency. A lone update (the same button
 *   pressed again) is the same with a read of the alarm first (AlarmRepository.savePart). Lone
 *   writes of several beds waiting for the stream lock go together, in one statement;
 * - anything else is a transaction whose alarm changes are drafted (AlarmApplier) and whose
 *   stream events are appended last, in one statement.
 * Stream events reach the console in alarm_events id order, so their appends commit in id order:
 * the stream lock is taken for a transaction's last statement (its drafted events) and the commit,
 * not around the transaction, so a long operator or escalation transaction does not hold up an
 * SOS. Lock order is always connection, then stream lock (a holder never waits for the pool,
 * PGlite's one connection included). Events are emitted after the commit.
 */
@Injectable()
export class AlarmCommitter {
  /** alarm_events ids must reach the stream in order: writes that append them take turns. */
  private readonly eventsLock = new AsyncMutex();
  /** Lone writes waiting for their turn (writeLone). */
  private lone: LoneWrite[] = [];
  private loneFlushing = false;

  constructor(
    private readonly database: Database,
    private readonly alarms: AlarmRepository,
    private readonly states: BedRuleStateRepository,
    private readonly applier: AlarmApplier,
    private readonly stream: AlarmStream,
  ) {}

  /**
   * Commits an evaluation: a lone raise in one statement, anything else in a transaction. A
   * fenced write (clustered mode) is always a transaction that checks the fence first.
   */
  commitEvaluation(write: EvaluationWrite, fence: FenceToken | null): Promise<ApplyOutcome> {
    const lone = write.due.length === 0 && !fence ? loneAlarmWrite(write.actions) : null;
    if (lone?.type === 'raise') return this.raiseAlone(write, lone);
    if (lone?.type === 'update') return this.updateAlone(write, lone);
    return this.inTransaction(write, fence);
  }

  private inTransaction(write: EvaluationWrite, fence: FenceToken | null): Promise<ApplyOutcome> {
    return this.transaction((tx, out) => this.writeEvaluation(tx, write, out), fence);
  }

  /**
   * Runs `work` in a transaction; the alarm changes it drafts into `out` (AlarmApplier, operator
   * changes) are appended to the stream log last, committed, then streamed. With a fence, the
   * transaction first proves this node still holds the bed's partition at that epoch.
   */
  async transaction(
    work: (tx: Executor, out: ApplyOutcome) => Promise<void>,
    fence: FenceToken | null,
  ): Promise<ApplyOutcome> {
    const held: { release?: () => void } = {};
    try {
      const out = await this.database.db.transaction().execute(async (tx) => {
        const o = new ApplyOutcome();
        if (fence) await assertPartitionEpoch(tx, fence);
        await work(tx, o);
        if (o.drafts.length > 0) {
          held.release = await this.eventsLock.acquire();
          o.events.push(...(await this.alarms.appendEvents(tx, o.drafts)));
          o.drafts.length = 0;
        }
        return o;
      });
      this.stream.emit(out.events);
      return out;
    } finally {
      held.release?.();
    }
  }

  /** An evaluation's writes inside the caller's transaction (see transaction). */
  async writeEvaluation(tx: Executor, write: EvaluationWrite, out: ApplyOutcome): Promise<void> {
    await this.states.save(tx, write.saved);
    await this.alarms.logActions(tx, write.saved.bedId, write.actions);
    await this.applier.apply(tx, write.organisationId, write.actions, out);
    await this.applier.escalate(tx, write.due, write.now, out);
  }

  /**
   * Two round trips instead of a transaction's eight: the alarm is read, changed by the state
   * machine, then written with its stream event, the rule state and the journal in one statement.
   * The read needs no transaction, as in writeEvaluation: an alarm is written only in its bed's
   * queue, where this evaluation runs. Anything else (an unknown or silenced alarm, a change the
   * lifecycle refuses or that makes more than one event) is left to the transaction, which
   * handles and logs it.
   */
  private async updateAlone(write: EvaluationWrite, action: UpdateAction): Promise<ApplyOutcome> {
    const prev = await this.alarms.getByKey(this.database.db, action.key);
    const change = prev ? this.plan(prev, action) : null;
    if (!prev || !change || change.events.length !== 1) return this.inTransaction(write, null);
    return this.writeLone((db) =>
      readAs(
        this.alarms.savePart(db, prev, change.next, change.events[0], change.at, this.alongside(db, write, action)),
        (event) => {
          const out = new ApplyOutcome();
          if (event) {
            out.events.push(event);
            this.applier.recordChanged(action, change.next, out);
          }
          return out;
        },
      ),
    );
  }

  private plan(prev: AlarmRecord, action: UpdateAction): PlannedChange | null {
    try {
      return this.applier.planChange(prev, action);
    } catch (err) {
      if (err instanceof AlarmDomainError) return null;
      throw err;
    }
  }

  private raiseAlone(write: EvaluationWrite, action: RaiseAction): Promise<ApplyOutcome> {
    const rec = this.applier.raiseRecord(write.organisationId, action);
    return this.writeLone((db) =>
      readAs(this.alarms.raisePart(db, rec, this.alongside(db, write, action)), (raised) => {
        const out = new ApplyOutcome();
        this.applier.recordRaised(rec, raised, out);
        return out;
      }),
    );
  }

  /** The writes of a lone evaluation besides its alarm: the bed's rule state and the action journal. */
  private alongside(db: Executor, write: EvaluationWrite, action: RuleAction) {
    return [this.states.saveQuery(db, [write.saved]), this.alarms.logActionsQuery(db, write.saved.bedId, [action])];
  }

  private writeLone(part: (db: Executor) => StatementPart<ApplyOutcome>): Promise<ApplyOutcome> {
    return new Promise((resolve, reject) => {
      this.lone.push({ part, resolve, reject });
      if (!this.loneFlushing) void this.flushLone();
    });
  }

  /**
   * Group commit of lone writes, in turns of the stream lock: what queued while the previous
   * statement was on its way (or while this one waited for a connection and the lock) is written
   * as one statement (AlarmRepository.writeParts), so simultaneous calls for help of many beds
   * cost one round trip, not one each in turn. A lone write is never held back to gather others.
   */
  private async flushLone(): Promise<void> {
    this.loneFlushing = true;
    while (this.lone.length > 0) {
      let batch: LoneWrite[] = [];
      try {
        await this.database.db.connection().execute((db) =>
          this.eventsLock.lock(async () => {
            batch = this.lone.splice(0, LONE_BATCH_MAX);
            const outcomes = await this.writeBatch(db, batch);
            const events = outcomes.flatMap((o) => (o instanceof ApplyOutcome ? o.events : []));
            this.stream.emit(events.sort((a, b) => a.id - b.id));
            batch.forEach((b, i) => {
              const o = outcomes[i];
              if (o instanceof ApplyOutcome) b.resolve(o);
              else b.reject(o.error);
            });
          }),
        );
      } catch (err) {
        // No connection: the writes taken, or else every one waiting, fail (each bed retries from its stored events).
        for (const b of batch.length > 0 ? batch : this.lone.splice(0)) b.reject(err);
      }
    }
    this.loneFlushing = false;
  }

  /** A batch that fails is written again one write at a time: one bad write fails alone. */
  private async writeBatch(db: Executor, batch: readonly LoneWrite[]): Promise<(ApplyOutcome | { error: unknown })[]> {
    try {
      return await this.alarms.writeParts(
        db,
        batch.map((b) => b.part(db)),
      );
    } catch (err) {
      if (batch.length === 1) return [{ error: err }];
      const outcomes: (ApplyOutcome | { error: unknown })[] = [];
      for (const b of batch) {
        try {
          outcomes.push(...(await this.alarms.writeParts(db, [b.part(db)])));
        } catch (error) {
          outcomes.push({ error });
        }
      }
      return outcomes;
    }
  }
}

/** Lone writes of a batch: bounded, so a flood of raises is not one enormous statement. */
const LONE_BATCH_MAX = 64;

interface LoneWrite {
  part: (db: Executor) => StatementPart<ApplyOutcome>;
  resolve: (out: ApplyOutcome) => void;
  reject: (err: unknown) => void;
}

/** The statement part with its result read through `f`. */
function readAs<T, R>(part: StatementPart<T>, f: (t: T) => R): StatementPart<R> {
  return (name) => {
    const built = part(name);
    return { ...built, read: (row) => f(built.read(row)) };
  };
}
