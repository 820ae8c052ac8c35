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
import { AlarmRepository, type AlongsideWrite, type Executor } from '../persistence/alarm.repository';

/** What one transaction changed, for after the commit: stream events, escalation timers, alarms for device acks. */
export class ApplyOutcome {
  /** Appended to alarm_events, for the live stream after the commit. */
  readonly events: AlarmStreamEvent[] = [];
  /** Events of a transaction, appended by appendDrafted as its last statement. */
  readonly drafts: EventDraft[] = [];
  /** alarm id -> next escalation instant, or null when it no longer escalates. */
  readonly escalations = new Map<string, number | null>();
  /** Alarms raised or updated, by kind (the device that caused them gets the id in its ack). */
  readonly raisedOrUpdated = new Map<RuleKind, AlarmRecord>();
}

const EVENT_FOR: Record<Exclude<RuleAction['type'], 'raise' | 'ignored'>, AlarmEventType> = {
  update: 'alarm.updated',
  clear: 'alarm.cleared',
  cancelled: 'alarm.updated',
};

/**
 * Turns rule actions into alarm rows through the libs/rules state machine, inside the caller's
 * transaction. Idempotent under replay: a raise with a known key is skipped by the unique key.
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

  /**
   * Appends the transaction's drafted events in one statement, in draft order. The runner calls
   * it last, holding the stream lock until the commit: only this and the commit wait for other
   * transactions' events, so an SOS is not held up by a long operator transaction.
   */
  async appendDrafted(ex: Executor, out: ApplyOutcome): Promise<void> {
    out.events.push(...(await this.alarms.appendEvents(ex, out.drafts)));
    out.drafts.length = 0;
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

  /**
   * A raise in one statement (AlarmRepository.insertRaised). When it is an evaluation's only
   * action (an SOS, a fall), the runner passes the bed's rule state and the action journal as
   * `alongside` and needs no transaction: the statement also appends the stream event, so one
   * round trip (each waits for a turn of a busy event loop: most of an alarm's latency). Without
   * `alongside` the raise is inside a transaction and its event is drafted.
   */
  async raise(
    ex: Executor,
    organisationId: string,
    action: RaiseAction,
    out: ApplyOutcome,
    alongside?: readonly AlongsideWrite[],
  ): Promise<void> {
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
          },
        ],
      };
    }
    rec = this.withNext(rec);
    const raised = await this.alarms.insertRaised(ex, rec, alongside);
    if (!raised || rec.suppressed) return; // replay after a crash (raised before), or silenced
    const alarm = { ...rec, incidentId: raised.incidentId };
    if (raised.event) out.events.push(raised.event);
    else out.drafts.push({ type: 'alarm.raised', alarm, at: rec.raisedAt });
    out.escalations.set(rec.id, rec.nextEscalationAt);
    out.raisedOrUpdated.set(rec.kind, alarm);
  }

  private async change(ex: Executor, action: Exclude<RuleAction, { type: 'raise' }>, out: ApplyOutcome): Promise<void> {
    if (action.type === 'ignored') return; // readings not used: the journal keeps why
    if (action.type === 'cancelled' && !action.raised) return; // nothing raised: the journal keeps the cancel
    const prev = await this.alarms.getByKey(ex, action.key);
    if (!prev) {
      this.log.warn({ msg: 'rule action for unknown alarm', key: action.key, type: action.type });
      return;
    }
    if (prev.suppressed) return;
    // The operator may have written the timeline after this input arrived: keep it in time order.
    const at = Math.max(action.at, prev.audit.at(-1)?.at ?? action.at);
    const changed = applyRuleAction(prev, { ...action, at });
    if (changed === prev) return;
    let next = this.withNext(changed as AlarmRecord);
    const events: AlarmEventType[] = [EVENT_FOR[action.type]];
    if (action.type === 'clear') {
      const auto = autoResolveIfDue(next, at, this.config.autoResolve);
      if (auto.resolved) {
        next = this.withNext(auto.alarm as AlarmRecord);
        events.push('alarm.resolved');
      }
    }
    await this.alarms.save(ex, prev, next);
    for (const type of events) out.drafts.push({ type, alarm: next, at });
    out.escalations.set(next.id, next.nextEscalationAt);
    if (action.type === 'update') out.raisedOrUpdated.set(next.kind, next);
  }

  private withNext(a: AlarmRecord): AlarmRecord {
    return { ...a, nextEscalationAt: a.suppressed ? null : nextEscalationAt(a, this.config.escalation) };
  }
}
