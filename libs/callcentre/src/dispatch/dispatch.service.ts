import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@bedside/auth';
import { AlarmService } from '@bedside/alarms';
import { Clock, DomainError } from '@bedside/common';
import { DISPATCH_STATUSES, type CreateDispatchDto, type DispatchStatusDto } from './dispatch.dto';
import { DispatchRepository, type Dispatch } from './dispatch.repository';

const RESPONDER_LABEL = {
  keyholder: 'key-holder',
  community_worker: 'community worker',
  ambulance: 'ambulance',
} as const;

/** Dispatch moves forward only: dispatched -> en route -> on site -> closed. Each step is on the alarm's timeline. */
@Injectable()
export class DispatchService {
  constructor(
    private readonly dispatches: DispatchRepository,
    private readonly alarms: AlarmService,
    private readonly clock: Clock,
  ) {}

  async create(alarmId: string, dto: CreateDispatchDto, user: AuthUser): Promise<Dispatch> {
    const { alarm } = await this.alarms.get(alarmId);
    if (alarm.state === 'resolved')
      throw new DomainError('INVALID_TRANSITION', 'the alarm is resolved; nobody can be dispatched to it', { alarmId });
    const d = await this.dispatches.create({
      alarmId,
      organisationId: alarm.organisationId,
      responderType: dto.responderType,
      responderName: dto.responderName,
      note: dto.note ?? null,
      actor: user.username,
      at: new Date(this.clock.now()),
    });
    await this.alarms.recordActivity(
      alarmId,
      user,
      'dispatch',
      `${RESPONDER_LABEL[dto.responderType]} ${dto.responderName} dispatched${dto.note ? `: ${dto.note}` : ''}`,
      { code: 'dispatched', params: { type: dto.responderType, name: dto.responderName, note: dto.note ?? '' } },
    );
    return d;
  }

  async setStatus(alarmId: string, dispatchId: string, dto: DispatchStatusDto, user: AuthUser): Promise<Dispatch> {
    const current = (await this.dispatches.list(alarmId)).find((d) => d.id === dispatchId);
    if (!current) throw new DomainError('NOT_FOUND', `dispatch ${dispatchId} not found`, { dispatchId });
    if (DISPATCH_STATUSES.indexOf(dto.status) <= DISPATCH_STATUSES.indexOf(current.status)) {
      throw new DomainError('INVALID_TRANSITION', `a dispatch that is ${current.status} cannot become ${dto.status}`, {
        from: current.status,
        to: dto.status,
      });
    }
    const d = await this.dispatches.setStatus(
      alarmId,
      dispatchId,
      dto.status,
      user.username,
      dto.note ?? null,
      new Date(this.clock.now()),
    );
    await this.alarms.recordActivity(
      alarmId,
      user,
      `dispatch.${dto.status}`,
      `${current.responderName}: ${dto.status.replace('_', ' ')}${dto.note ? ` (${dto.note})` : ''}`,
      { code: 'dispatch_status', params: { name: current.responderName, status: dto.status, note: dto.note ?? '' } },
    );
    return d;
  }

  list(alarmId: string): Promise<Dispatch[]> {
    return this.dispatches.list(alarmId);
  }
}
