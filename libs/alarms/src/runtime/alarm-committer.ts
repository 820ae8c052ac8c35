import { Injectable } from '@nestjs/common';
import { assertPartitionEpoch, type FenceToken } from '@bedside/cluster';
import { Database } from '@bedside/database';
import { AlarmDomainError, type RaiseAction, type RuleAction, type UpdateAction } from '@bedside/rules';
import type { AlarmRecord } from '../model/alarm-record';
import { AlarmRepository, type Executor } from '../persistence/alarm.repository';
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
 *   (AlarmRepository.insertRaised with `alongside`). One round trip, and each round trip waits
 *   for a turn of a busy event loop: most of an alarm's latency. A lone update (the same button
 *   pressed again) is the same with a read of the alarm first (AlarmRepository.saveAlone);
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
    return this.database.db.connection().execute((db) =>
      this.eventsLock.lock(async () => {
        const out = new ApplyOutcome();
        const event = await this.alarms.saveAlone(db, prev, change.next, change.events[0], change.at, [
          this.states.saveQuery(db, [write.saved]),
          this.alarms.logActionsQuery(db, write.saved.bedId, [action]),
        ]);
        if (event) {
          out.events.push(event);
          this.applier.recordChanged(action, change.next, out);
        }
        this.stream.emit(out.events);
        return out;
      }),
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
    return this.database.db.connection().execute((db) =>
      this.eventsLock.lock(async () => {
        const out = new ApplyOutcome();
        const raised = await this.alarms.insertRaised(db, rec, [
          this.states.saveQuery(db, [write.saved]),
          this.alarms.logActionsQuery(db, write.saved.bedId, [action]),
        ]);
        this.applier.recordRaised(rec, raised, out);
        this.stream.emit(out.events);
        return out;
      }),
    );
  }
}
