import { Injectable, Logger } from '@nestjs/common';
import { newId } from '@bedside/common';
import {
  AlarmDomainError,
  applyRuleAction,
  autoResolveIfDue,
  escalateIfDue,
  nextEscalationAt,
  SYSTEM_ACTOR,
  type Alarm,
  type RaiseAction,
  type RuleAction,
  type RuleKind,
} from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import type { AlarmEventType, AlarmRecord, AlarmStreamEvent, EventDraft } from '../model/alarm-record';
import { AlarmRepository, type Executor } from '../persistence/alarm.repository';

/** What one commit changed, for after it (AlarmCommitter): stream events, escalation timers, alarms for device acks. */
export class ApplyOutcome {
  /** Appended to alarm_events, for the live stream after the commit. */
  readonly events: AlarmStreamEvent[] = [];
  /** Events of a transaction, appended by AlarmCommitter as its last statement. */
  readonly drafts: EventDraft[] = [];
  /** alarm id -> next escalation instant, or null when it no longer escalates. */
  readonly escalations = new Map<string, number | null>();
  /** Alarms raised or updated, by kind (the device that caused them gets the id in its ack). */
  readonly raisedOrUpdated = new Map<RuleKind, AlarmRecord>();
}

/** A rule action that changes an alarm raised before. */
export type ChangeAction = Exclude<RuleAction, { type: 'raise' | 'ignored' }>;

/** A change planned by AlarmApplier.planChange, not yet written. */
export interface PlannedChange {
  next: AlarmRecord;
  events: AlarmEventType[];
  at: number;
}

const EVENT_FOR: Record<Exclude<RuleAction['type'], 'raise' | 'ignored'>, AlarmEventType> = {
  update: 'alarm.updated',
  clear: 'alarm.cleared',
  cancelled: 'alarm.updated',
};

/**
 * Turns rule actions and operator changes into alarm rows through the libs/rules state machine,
 * inside the caller's transaction, and drafts their stream events; how they are committed and
 * streamed is AlarmCommitter's. Idempotent under replay: a raise with a known key is skipped by
 * the unique key.
 */
@Injectable()
export class AlarmApplier {
  private readonly log = new Logger('Alarms');

  constructor(
    private readonly alarms: AlarmRepository,
    private readonly config: AlarmsConfig,
  ) {}

  async apply(ex: Executor, organisationId: string, actions: readonly RuleAction[], out: ApplyOutcome): Promise<void> {
    for (const action of actions) {
      try {
        if (action.type === 'raise') await this.raise(ex, organisationId, action, out);
        else await this.change(ex, action, out);
      } catch (err) {
        // A lifecycle rule refusing one action (a race with an operator) must not lose the others.
        if (!(err instanceof AlarmDomainError)) throw err;
        this.log.warn({
          msg: 'rule action not applied',
          key: action.key,
          type: action.type,
          code: err.code,
          err: err.message,
        });
      }
    }
  }

  /** Escalates the given alarms if due at `now`; records the next escalation instant of each. */
  async escalate(ex: Executor, alarmIds: readonly string[], now: number, out: ApplyOutcome): Promise<void> {
    for (const id of alarmIds) {
      const prev = await this.alarms.get(ex, id, true);
      if (!prev || prev.status !== 'raised') {
        out.escalations.set(id, null);
        continue;
      }
      const { alarm, escalated } = escalateIfDue(prev, now, this.config.escalation);
      const next = this.withNext(alarm as AlarmRecord);
      if (escalated || next.nextEscalationAt !== prev.nextEscalationAt) await this.alarms.save(ex, prev, next);
      if (escalated) out.drafts.push({ type: 'alarm.escalated', alarm: next, at: now });
      out.escalations.set(id, next.nextEscalationAt);
    }
  }

  /** Saves an operator change made with the state machine and drafts its stream event. */
  async saveChange(
    ex: Executor,
    prev: AlarmRecord,
    changed: Alarm,
    type: AlarmEventType,
    at: number,
    out: ApplyOutcome,
  ): Promise<AlarmRecord> {
    const next = this.withNext(changed as AlarmRecord);
    await this.alarms.save(ex, prev, next);
    out.drafts.push({ type, alarm: next, at });
    out.escalations.set(next.id, next.nextEscalationAt);
    return next;
  }

  /** A raise inside the caller's transaction; its stream event is drafted. */
  async raise(ex: Executor, organisationId: string, action: RaiseAction, out: ApplyOutcome): Promise<void> {
    const rec = this.raiseRecord(organisationId, action);
    this.recordRaised(rec, await this.alarms.insertRaised(ex, rec), out);
  }

  /** The alarm row a raise action makes (not written). */
  raiseRecord(organisationId: string, action: RaiseAction): AlarmRecord {
    const id = newId();
    const base = applyRuleAction(null, action, id);
    let rec: AlarmRecord = {
      ...base,
      organisationId,
      startedAt: action.startedAt,
      suppressed: action.suppressed,
      reason: action.reason,
      message: action.message,
      details: action.details,
      nextEscalationAt: null,
      incidentId: id,
    };
    if (action.suppressed) {
      // Recorded for the audit, closed at once: a silenced bed does not alert.
      rec = {
        ...rec,
        status: 'resolved',
        resolvedAt: action.at,
        resolvedBy: SYSTEM_ACTOR,
        audit: [
          ...rec.audit,
          {
            at: action.at,
            actor: SYSTEM_ACTOR,
            action: 'resolve',
            from: 'raised',
            to: 'resolved',
            note: 'maintenance silence',
            code: 'maintenance_silence',
            params: {},
          },
        ],
      };
    }
    return this.withNext(rec);
  }

  /**
   * Records what AlarmRepository.insertRaised wrote for `rec`: its stream event (written with it,
   * or drafted when the raise is inside a transaction), its escalation and its kind.
   */
  recordRaised(
    rec: AlarmRecord,
    raised: Awaited<ReturnType<AlarmRepository['insertRaised']>>,
    out: ApplyOutcome,
  ): void {
    if (!raised || rec.suppressed) return; // replay after a crash (raised before), or silenced
    const alarm = { ...rec, incidentId: raised.incidentId };
    if (raised.event) out.events.push(raised.event);
    else out.drafts.push({ type: 'alarm.raised', alarm, at: rec.raisedAt });
    out.escalations.set(rec.id, rec.nextEscalationAt);
    out.raisedOrUpdated.set(rec.kind, alarm);
  }

  /** Drafts an `alarm.updated` event for a timeline entry that changes no state (a note, a call-centre step). */
  draftUpdated(alarm: AlarmRecord, at: number, out: ApplyOutcome): void {
    out.drafts.push({ type: 'alarm.updated', alarm, at });
  }

  private async change(ex: Executor, action: Exclude<RuleAction, { type: 'raise' }>, out: ApplyOutcome): Promise<void> {
    if (action.type === 'ignored') return; // readings not used: the journal keeps why
    if (action.type === 'cancelled' && !action.raised) return; // nothing raised: the journal keeps the cancel
    const prev = await this.alarms.getByKey(ex, action.key);
    if (!prev) {
      this.log.warn({ msg: 'rule action for unknown alarm', key: action.key, type: action.type });
      return;
    }
    const change = this.planChange(prev, action);
    if (!change) return;
    await this.alarms.save(ex, prev, change.next);
    for (const type of change.events) out.drafts.push({ type, alarm: change.next, at: change.at });
    this.recordChanged(action, change.next, out);
  }

  /**
   * What a rule action makes of its stored alarm (no I/O): the changed alarm and its stream
   * events at `at`, or null when it changes nothing (a silenced alarm, nothing new). Throws
   * AlarmDomainError when the lifecycle refuses the action.
   */
  planChange(prev: AlarmRecord, action: ChangeAction): PlannedChange | null {
    if (prev.suppressed) return null;
    // The operator may have written the timeline after this input arrived: keep it in time order.
    const at = Math.max(action.at, prev.audit.at(-1)?.at ?? action.at);
    const changed = applyRuleAction(prev, { ...action, at });
    if (changed === prev) return null;
    let next = this.withNext(changed as AlarmRecord);
    const events: AlarmEventType[] = [EVENT_FOR[action.type]];
    if (action.type === 'clear') {
      const auto = autoResolveIfDue(next, at, this.config.autoResolve);
      if (auto.resolved) {
        next = this.withNext(auto.alarm as AlarmRecord);
        events.push('alarm.resolved');
      }
    }
    return { next, events, at };
  }

  /** Records a written change: its escalation, and, for an update, the alarm its device is acknowledged with. */
  recordChanged(action: ChangeAction, next: AlarmRecord, out: ApplyOutcome): void {
    out.escalations.set(next.id, next.nextEscalationAt);
    if (action.type === 'update') out.raisedOrUpdated.set(next.kind, next);
  }

  private withNext(a: AlarmRecord): AlarmRecord {
    return { ...a, nextEscalationAt: a.suppressed ? null : nextEscalationAt(a, this.config.escalation) };
  }
}
