import { Injectable } from '@nestjs/common';
import { Clock, DomainError, notFound } from '@bedside/common';
import {
  AlarmDomainError,
  acknowledgeAlarm,
  endHold,
  escalateIfDue,
  holdAlarm,
  resolveAlarm,
  returnFromHoldIfDue,
  stopHoldEscalation,
  type NoteParams,
  type OperatorOutcome,
  type RuleInput,
} from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import type { ContextualAlarmView } from '../model/alarm-context';
import { AlarmContextService } from './alarm-context.service';
import type { AuthUser } from '@bedside/auth';
import { toAlarmView, toAuditView, type AlarmRecord, type AlarmView, type AuditView } from '../model/alarm-record';
import { AlarmRepository, type AlarmFilter, type Executor, type QueueAlarmView } from '../persistence/alarm.repository';
import { AlarmApplier, type ApplyOutcome } from '../runtime/alarm-applier';
import { MaintenanceRepository, type MaintenanceWindow } from '../persistence/maintenance.repository';
import { RulesRunner } from '../runtime/rules-runner.service';
import { OnBedOwner, type OwnerRouted } from '../runtime/on-bed-owner.decorator';
import { OwnerRouter } from '../runtime/owner-router';

export interface AlarmDetail {
  alarm: ContextualAlarmView;
  timeline: AuditView[];
  incident: { id: string; alarms: AlarmView[] };
  /** Display names of the timeline's human actors, by username. */
  actors: Record<string, string>;
}

/** Lifecycle rules from libs/rules surface as 409 (transition) or 400 (outcome). */
function asDomainError(err: unknown): unknown {
  if (!(err instanceof AlarmDomainError)) return err;
  return new DomainError(
    err.code === 'ALARM_INVALID_OUTCOME' || err.code === 'ALARM_INVALID_HOLD'
      ? 'VALIDATION_FAILED'
      : 'INVALID_TRANSITION',
    err.message,
    { code: err.code },
  );
}

/** The entry records the same step: same action and code, equal values of the identifying params. */
function sameStep(
  e: AlarmRecord['audit'][number],
  action: string,
  coded: { code: string; params: NoteParams },
  by: readonly string[],
): boolean {
  return e.action === action && e.code === coded.code && by.every((k) => e.params?.[k] === coded.params[k]);
}

/**
 * Operator actions. Each runs on the bed's owner node (OnBedOwner), in the bed's queue (never
 * concurrently with the rules for that bed) and in one transaction with the audit entry and the
 * stream event.
 */
@Injectable()
export class AlarmService implements OwnerRouted {
  constructor(
    readonly ownerRouter: OwnerRouter,
    private readonly alarms: AlarmRepository,
    private readonly maintenance: MaintenanceRepository,
    private readonly runner: RulesRunner,
    private readonly applier: AlarmApplier,
    private readonly clock: Clock,
    private readonly config: AlarmsConfig,
    private readonly context: AlarmContextService,
  ) {
    ownerRouter.register(this);
  }

  list(filter: AlarmFilter): Promise<QueueAlarmView[]> {
    return this.alarms.list(filter);
  }

  async get(id: string): Promise<AlarmDetail> {
    const alarm = await this.find(id);
    const [[view], incident, actors] = await Promise.all([
      this.context.enrich([toAlarmView(alarm)]),
      this.alarms.incident(alarm.incidentId),
      this.context.actorNames(alarm.audit.map((e) => e.actor)),
    ]);
    return {
      alarm: view,
      timeline: alarm.audit.map(toAuditView),
      incident: { id: alarm.incidentId, alarms: incident },
      actors: Object.fromEntries(actors),
    };
  }

  /**
   * A call-centre step on the alarm's timeline (dispatch, call made, …) without a state change;
   * `code` and `params` let a console word the note in its language. The stream event is
   * alarm.updated unless the step is one consoles watch for by itself (a late work order).
   * `onceBy` names the params that identify the step: when the timeline already holds an entry
   * of this action and code with the same values, nothing is written, no event either, so a
   * caller that does not know whether an earlier attempt committed may simply try again. The
   * check reads the timeline under the alarm's row lock, in the transaction that would write.
   */
  @OnBedOwner('alarm')
  recordActivity(
    id: string,
    user: AuthUser,
    action: string,
    note: string,
    coded?: { code: string; params: NoteParams },
    eventType: 'alarm.updated' | 'alarm.dispatch_overdue' = 'alarm.updated',
    onceBy?: readonly string[],
  ): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      if (onceBy?.length && coded && prev.audit.some((e) => sameStep(e, action, coded, onceBy))) return [];
      await this.alarms.appendAudit(tx, prev.id, [
        { at, actor: user.username, action, from: prev.status, to: prev.status, note, ...coded },
      ]);
      if (eventType === 'alarm.updated') this.applier.draftUpdated(prev, at, out);
      else out.drafts.push({ type: eventType, alarm: prev, at });
      return [];
    });
  }

  /**
   * Escalates a raised alarm at once because no console confirmed showing it in time. Resolves
   * false when it was acknowledged, resolved or already escalated meanwhile.
   */
  @OnBedOwner('alarm')
  async escalateUndisplayed(id: string, timeoutMs: number): Promise<boolean> {
    let escalated = false;
    await this.change(id, async (tx, out, prev, at) => {
      if (prev.status !== 'raised' || prev.escalationLevel > 0 || prev.suppressed) return [];
      const result = escalateIfDue(prev, at, {
        escalateAfterMs: Math.min(timeoutMs, at - prev.raisedAt),
        repeatEveryMs: this.config.escalation.repeatEveryMs,
      });
      if (!result.escalated) return [];
      const audit = [...result.alarm.audit];
      const s = Math.round(timeoutMs / 1000);
      audit[audit.length - 1] = {
        ...audit[audit.length - 1],
        note: `not shown on any console within ${s} s; escalation level ${result.alarm.escalationLevel}`,
        code: 'not_displayed',
        params: { s, level: result.alarm.escalationLevel },
      };
      await this.applier.saveChange(tx, prev, { ...result.alarm, audit }, 'alarm.escalated', at, out);
      escalated = true;
      return [];
    });
    return escalated;
  }

  @OnBedOwner('alarm')
  acknowledge(id: string, user: AuthUser, note?: string): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      const next = acknowledgeAlarm(prev, { at, actor: user.username, note });
      await this.applier.saveChange(tx, prev, next, 'alarm.acknowledged', at, out);
      return [];
    });
  }

  /** Resolving tells the rules in the same transaction, so the next SOS press is a new alarm even after a crash. */
  @OnBedOwner('alarm')
  resolve(id: string, user: AuthUser, outcome: OperatorOutcome, note?: string): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      const next = resolveAlarm(prev, { at, actor: user.username, outcome, note });
      await this.applier.saveChange(tx, prev, next, 'alarm.resolved', at, out);
      return [{ type: 'alarm.resolved', kind: prev.kind, subject: prev.subject, key: prev.key }];
    });
  }

  /**
   * Parks the alarm until `until`. Only a supervisor (or an administrator) may stop the
   * escalation of a held critical alarm.
   */
  @OnBedOwner('alarm')
  hold(
    id: string,
    user: AuthUser,
    body: { until: number; reason: string; stopEscalation?: boolean },
  ): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      const next = holdAlarm(prev, {
        at,
        actor: user.username,
        until: body.until,
        reason: body.reason,
        stopEscalation: body.stopEscalation,
        supervisor: user.role === 'supervisor' || user.role === 'admin',
      });
      await this.applier.saveChange(tx, prev, next, 'alarm.updated', at, out);
      return [];
    });
  }

  /** A supervisor (or an administrator) stops the escalation of a held alarm until it returns. */
  @OnBedOwner('alarm')
  stopHoldEscalation(id: string, user: AuthUser, reason: string): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      const next = stopHoldEscalation(prev, {
        at,
        actor: user.username,
        reason,
        supervisor: user.role === 'supervisor' || user.role === 'admin',
      });
      await this.applier.saveChange(tx, prev, next, 'alarm.updated', at, out);
      return [];
    });
  }

  @OnBedOwner('alarm')
  endHold(id: string, user: AuthUser): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      const next = endHold(prev, { at, actor: user.username });
      await this.applier.saveChange(tx, prev, next, 'alarm.updated', at, out);
      return [];
    });
  }

  /**
   * Brings a held alarm back at its return time, one priority level higher, as an `alarm.escalated`
   * event (consoles sound it). False when it is no longer held or not yet due.
   */
  @OnBedOwner('alarm')
  async returnFromHold(id: string): Promise<boolean> {
    let returned = false;
    await this.change(id, async (tx, out, prev, at) => {
      const result = returnFromHoldIfDue(prev, at);
      if (!result.returned) return [];
      await this.applier.saveChange(tx, prev, result.alarm, 'alarm.escalated', at, out);
      returned = true;
      return [];
    });
    return returned;
  }

  @OnBedOwner('alarm')
  addNote(id: string, user: AuthUser, text: string): Promise<AlarmDetail> {
    return this.change(id, async (tx, out, prev, at) => {
      await this.alarms.appendAudit(tx, prev.id, [
        { at, actor: user.username, action: 'note', from: prev.status, to: prev.status, note: text },
      ]);
      this.applier.draftUpdated(prev, at, out);
      return [];
    });
  }

  @OnBedOwner('bed')
  async silence(bedId: string, user: AuthUser, until: number, reason: string): Promise<MaintenanceWindow> {
    const now = this.clock.now();
    if (until <= now)
      throw new DomainError('VALIDATION_FAILED', '`until` must be in the future', {
        until: new Date(until).toISOString(),
      });
    let window!: MaintenanceWindow;
    await this.runner.operate(bedId, async (tx) => {
      await this.maintenance.end(tx, bedId, now, user.username);
      window = await this.maintenance.start(tx, bedId, now, until, reason, user.username);
      return [{ type: 'silence', until, actor: user.username, note: reason }];
    });
    return window;
  }

  @OnBedOwner('bed')
  async endSilence(bedId: string, user: AuthUser): Promise<{ ended: number }> {
    let ended = 0;
    await this.runner.operate(bedId, async (tx) => {
      ended = await this.maintenance.end(tx, bedId, this.clock.now(), user.username);
      return [{ type: 'silence', until: null, actor: user.username }];
    });
    return { ended };
  }

  listSilences(bedId: string): Promise<MaintenanceWindow[]> {
    return this.maintenance.list(bedId);
  }

  private async change(
    id: string,
    step: (tx: Executor, out: ApplyOutcome, prev: AlarmRecord, at: number) => Promise<RuleInput[]>,
  ): Promise<AlarmDetail> {
    const { bedId } = await this.find(id);
    try {
      await this.runner.operate(bedId, async (tx, out) => {
        const prev = await this.alarms.get(tx, id, true);
        if (!prev) throw notFound('alarm', id);
        const at = Math.max(this.clock.now(), prev.audit.at(-1)?.at ?? 0);
        return step(tx, out, prev, at);
      });
    } catch (err) {
      throw asDomainError(err);
    }
    return this.get(id);
  }

  private async find(id: string): Promise<AlarmRecord> {
    const alarm = await this.alarms.get(this.alarms.db, id);
    if (!alarm) throw notFound('alarm', id);
    return alarm;
  }
}
