import { Injectable } from '@nestjs/common';
import { AlarmService } from '@bedside/alarms';
import type { AuthUser } from '@bedside/auth';
import { Clock, DomainError, newId } from '@bedside/common';
import { ActionPlanRepository, type ActionPlan } from './action-plan.repository';
import { CallAttemptRepository, type CallAttempt } from './call-attempt.repository';
import { buildCallList, type CallList } from './call-list';
import type { CallAttemptDto } from './call.dto';

const OUTCOME_TEXT = { answered: 'answered', no_answer: 'no answer', busy: 'busy', wrong_number: 'wrong number' };

/** The call list of an alarm (its plan, contacts and responders) and the calls made from it. */
@Injectable()
export class CallService {
  constructor(
    private readonly alarms: AlarmService,
    private readonly plans: ActionPlanRepository,
    private readonly calls: CallAttemptRepository,
    private readonly clock: Clock,
  ) {}

  async callList(alarmId: string): Promise<{ plan: ActionPlan | null; attempts: CallAttempt[] } & CallList> {
    const { alarm } = await this.alarms.get(alarmId);
    const [plan, contacts, attempts] = await Promise.all([
      this.plans.get(alarm.organisationId, alarm.kind),
      this.calls.householdContacts(alarm.bedId),
      this.calls.list(alarmId),
    ]);
    return { plan, attempts, ...buildCallList(contacts, plan?.responders ?? [], attempts) };
  }

  /** Logs a call and puts it on the alarm's timeline as a coded note. */
  async record(alarmId: string, dto: CallAttemptDto, user: AuthUser): Promise<CallAttempt> {
    const { alarm } = await this.alarms.get(alarmId);
    if (alarm.state === 'resolved')
      throw new DomainError('INVALID_TRANSITION', 'the alarm is resolved; log calls on an open alarm', { alarmId });
    const id = newId();
    await this.calls.add({
      id,
      alarmId,
      organisationId: alarm.organisationId,
      calleeType: dto.calleeType,
      calleeName: dto.calleeName,
      phone: dto.phone,
      outcome: dto.outcome,
      note: dto.note ?? null,
      actor: user.username,
      at: new Date(this.clock.now()),
    });
    await this.alarms.recordActivity(
      alarmId,
      user,
      'call',
      `called ${dto.calleeName} (${dto.phone}): ${OUTCOME_TEXT[dto.outcome]}${dto.note ? ` — ${dto.note}` : ''}`,
      {
        code: 'call',
        params: { name: dto.calleeName, phone: dto.phone, outcome: dto.outcome, note: dto.note ?? '' },
      },
    );
    return (await this.calls.list(alarmId)).find((c) => c.id === id)!;
  }
}
