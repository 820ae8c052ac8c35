import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@bedside/auth';
import { AlarmService } from '@bedside/alarms';
import { Clock, DomainError } from '@bedside/common';
import type { CreateDispatchDto, DispatchExpectationDto, DispatchStatusDto } from './dispatch.dto';
import { DispatchExpectationRepository } from './dispatch-expectation.repository';
import { DispatchRepository, type Dispatch, type OpenDispatch } from './dispatch.repository';
import {
  DEFAULT_EXPECTATIONS,
  DISPATCH_STATUSES,
  afterStatusChange,
  dueAtFor,
  expectationsWith,
  isOverdue,
  type DispatchExpectation,
  type ResponderType,
} from './domain/dispatch-due';

const RESPONDER_LABEL = {
  keyholder: 'key-holder',
  community_worker: 'community worker',
  ambulance: 'ambulance',
} as const;

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const date = (t: number | null): Date | null => (t === null ? null : new Date(t));

/**
 * Dispatch moves forward only: dispatched -> en route -> on site -> closed. Each step is on the
 * alarm's timeline. Each step awaited (arrival, close-out) gets a due time from the
 * organisation's expectation for that responder type when the step starts.
 */
@Injectable()
export class DispatchService {
  constructor(
    private readonly dispatches: DispatchRepository,
    private readonly expectations: DispatchExpectationRepository,
    private readonly alarms: AlarmService,
    private readonly clock: Clock,
  ) {}

  async create(alarmId: string, dto: CreateDispatchDto, user: AuthUser): Promise<Dispatch & { overdue: boolean }> {
    const { alarm } = await this.alarms.get(alarmId);
    if (alarm.state === 'resolved')
      throw new DomainError('INVALID_TRANSITION', 'the alarm is resolved; nobody can be dispatched to it', { alarmId });
    const now = this.clock.now();
    const expectation = await this.expectationOf(alarm.organisationId, dto.responderType);
    const d = await this.dispatches.create({
      alarmId,
      organisationId: alarm.organisationId,
      responderType: dto.responderType,
      responderName: dto.responderName,
      note: dto.note ?? null,
      actor: user.username,
      at: new Date(now),
      dueAt: date(dueAtFor('dispatched', now, expectation)),
    });
    await this.alarms.recordActivity(
      alarmId,
      user,
      'dispatch',
      `${RESPONDER_LABEL[dto.responderType]} ${dto.responderName} dispatched${dto.note ? `: ${dto.note}` : ''}`,
      { code: 'dispatched', params: { type: dto.responderType, name: dto.responderName, note: dto.note ?? '' } },
    );
    return this.view(d, now);
  }

  async setStatus(
    alarmId: string,
    dispatchId: string,
    dto: DispatchStatusDto,
    user: AuthUser,
  ): Promise<Dispatch & { overdue: boolean }> {
    const current = await this.dispatches.get(alarmId, dispatchId);
    if (!current) throw new DomainError('NOT_FOUND', `dispatch ${dispatchId} not found`, { dispatchId });
    if (DISPATCH_STATUSES.indexOf(dto.status) <= DISPATCH_STATUSES.indexOf(current.status)) {
      throw new DomainError('INVALID_TRANSITION', `a dispatch that is ${current.status} cannot become ${dto.status}`, {
        from: current.status,
        to: dto.status,
      });
    }
    const now = this.clock.now();
    const organisationId = (await this.alarms.get(alarmId)).alarm.organisationId;
    const next = afterStatusChange(
      { status: current.status, dueAt: ms(current.dueAt), overdueAt: ms(current.overdueAt) },
      dto.status,
      now,
      await this.expectationOf(organisationId, current.responderType as ResponderType),
    );
    const d = await this.dispatches.setStatus(alarmId, dispatchId, current.status, {
      status: dto.status,
      actor: user.username,
      note: dto.note ?? null,
      at: new Date(now),
      dueAt: date(next.dueAt),
      overdueAt: date(next.overdueAt),
    });
    await this.alarms.recordActivity(
      alarmId,
      user,
      `dispatch.${dto.status}`,
      `${current.responderName}: ${dto.status.replace('_', ' ')}${dto.note ? ` (${dto.note})` : ''}`,
      { code: 'dispatch_status', params: { name: current.responderName, status: dto.status, note: dto.note ?? '' } },
    );
    return this.view(d, now);
  }

  async list(alarmId: string): Promise<(Dispatch & { overdue: boolean })[]> {
    const now = this.clock.now();
    return (await this.dispatches.list(alarmId)).map((d) => this.view(d, now));
  }

  /** The organisation's open work orders, soonest due first; `overdue`: only those past due now. */
  async open(f: {
    organisationId?: string;
    overdue?: boolean;
    limit?: number;
  }): Promise<(OpenDispatch & { overdue: boolean })[]> {
    const now = this.clock.now();
    const rows = await this.dispatches.open({
      organisationId: f.organisationId,
      overdueAt: f.overdue ? new Date(now) : undefined,
      limit: f.limit ?? 200,
    });
    return rows.map((d) => this.view(d, now));
  }

  async expectationsOf(organisationId: string) {
    const own = await this.expectations.of(organisationId);
    return {
      organisationId,
      expectations: expectationsWith(own).map((e) => ({
        ...e,
        isDefault: !own.some((o) => o.responderType === e.responderType),
      })),
    };
  }

  /** Replaces the organisation's expectations; they apply to steps that start from now on. */
  async setExpectations(organisationId: string, list: readonly DispatchExpectationDto[], user: AuthUser) {
    const types = list.map((e) => e.responderType);
    if (new Set(types).size !== types.length)
      throw new DomainError('VALIDATION_FAILED', 'each responder type may appear once', { responderTypes: types });
    await this.expectations.replace(
      organisationId,
      list.map((e) => ({
        responderType: e.responderType,
        onSiteWithinS: e.onSiteWithinS,
        closeWithinS: e.closeWithinS,
      })),
      user.username,
      new Date(this.clock.now()),
    );
    return this.expectationsOf(organisationId);
  }

  private async expectationOf(organisationId: string, type: ResponderType): Promise<DispatchExpectation> {
    const own = await this.expectations.of(organisationId);
    return own.find((e) => e.responderType === type) ?? DEFAULT_EXPECTATIONS[type];
  }

  private view<T extends Dispatch>(d: T, now: number): T & { overdue: boolean } {
    return { ...d, overdue: isOverdue({ status: d.status, dueAt: ms(d.dueAt) }, now) };
  }
}
