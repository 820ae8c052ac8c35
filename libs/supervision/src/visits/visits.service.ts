import { Injectable } from '@nestjs/common';
import { Clock, DomainError, newId } from '@bedside/common';
import type { AuthUser } from '@bedside/auth';
import { isOverdue } from './domain/overdue';
import { OPEN_STATES, type Visit, type VisitAction } from './domain/visit';
import { applyVisitAction, VisitTransitionError } from './domain/visit-state-machine';
import type { VisitPolicy } from './domain/visit-planner';
import { VisitEvents } from './visit-events';
import { VisitPolicyRepository } from './visit-policy.repository';
import { newVisit, VisitRepository, type VisitFilter, type VisitView } from './visit.repository';

/** Visit work orders as the REST routes use them. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly visits: VisitRepository,
    private readonly policies: VisitPolicyRepository,
    private readonly events: VisitEvents,
    private readonly clock: Clock,
  ) {}

  /** `overdue: true` keeps only open visits past due now; every row says whether it is. */
  async list(f: Omit<VisitFilter, 'overdueAt'> & { overdue?: boolean }): Promise<VisitView[]> {
    const now = this.clock.now();
    const rows = await this.visits.list({ ...f, overdueAt: f.overdue ? now : undefined });
    return rows.map((v) => ({ ...v, overdue: isOverdue(v, now) }));
  }

  /**
   * The signed-in worker's open visits, soonest due first: overdue ones come first, then those
   * due today, then later ones. Empty for the bootstrap administrator, who is no user.
   */
  async mine(user: AuthUser, limit?: number): Promise<VisitView[]> {
    if (!user.userId) return [];
    return this.list({
      organisationId: user.organisationId ?? undefined,
      assigneeUserId: user.userId,
      state: [...OPEN_STATES],
      limit,
    });
  }

  /** Assigns to a worker or team; a named user must belong to the visit's organisation. */
  async assign(
    id: string,
    assignee: { kind: 'worker' | 'team'; name?: string; userId?: string },
    user: AuthUser,
  ): Promise<Visit & { overdue: boolean }> {
    if (!assignee.userId) {
      if (!assignee.name) throw invalid('name', 'name is required unless userId names a user');
      return this.act(id, { type: 'assign', assignee: { kind: assignee.kind, name: assignee.name } }, user);
    }
    if (assignee.kind !== 'worker') throw invalid('kind', 'a user is assigned as a worker');
    const visit = await this.visits.get(id);
    const userName = await this.visits.userName(assignee.userId, visit.organisationId);
    if (userName === null) throw invalid('userId', "userId must be a user of the visit's organisation");
    return this.act(
      id,
      { type: 'assign', assignee: { kind: 'worker', name: assignee.name ?? userName, userId: assignee.userId } },
      user,
    );
  }

  async get(id: string): Promise<Visit & { overdue: boolean }> {
    const v = await this.visits.get(id);
    return { ...v, overdue: isOverdue(v, this.clock.now()) };
  }

  async act(id: string, action: VisitAction, user: AuthUser): Promise<Visit & { overdue: boolean }> {
    const now = this.clock.now();
    try {
      const visit = await this.visits.change(id, (v) => applyVisitAction(v, action, user.username, now));
      this.events.events$.next({ type: 'visit.changed', at: now, visit });
      return { ...visit, overdue: isOverdue(visit, now) };
    } catch (err) {
      if (err instanceof VisitTransitionError)
        throw new DomainError('INVALID_TRANSITION', err.message, { from: err.from, action: err.action });
      throw err;
    }
  }

  /** An operator's follow-up visit after an alarm: one per alarm. */
  async followUp(
    alarmId: string,
    dueAt: number,
    note: string | undefined,
    user: AuthUser,
  ): Promise<Visit & { overdue: boolean }> {
    const subject = await this.visits.alarmSubject(alarmId);
    if (!subject.residentId) throw new DomainError('CONFLICT', "the alarm's bed has no resident to visit", { alarmId });
    return this.plan(
      {
        organisationId: subject.organisationId,
        residentId: subject.residentId,
        householdId: subject.householdId,
        source: 'alarm',
        sourceKey: alarmId,
        alarmId,
        reason: note ? `after ${subject.kind} alarm: ${note}` : `after ${subject.kind} alarm`,
        dueAt,
      },
      user,
      'a follow-up visit for this alarm already exists',
    );
  }

  /** A visit a coordinator plans by hand. */
  async manual(
    residentId: string,
    dueAt: number,
    reason: string,
    user: AuthUser,
  ): Promise<Visit & { overdue: boolean }> {
    const home = await this.visits.residentHome(residentId);
    return this.plan(
      { ...home, residentId, source: 'manual', sourceKey: newId(), reason, dueAt },
      user,
      'the visit already exists',
    );
  }

  async policiesOf(organisationId: string): Promise<VisitPolicy[]> {
    return this.policies.of(organisationId);
  }

  async setPolicies(organisationId: string, policies: VisitPolicy[], user: AuthUser): Promise<VisitPolicy[]> {
    const categories = policies.map((p) => p.category);
    if (new Set(categories).size !== categories.length)
      throw new DomainError('VALIDATION_FAILED', 'each category at most once', { field: 'policies' });
    await this.policies.replace(organisationId, policies, user.username, new Date(this.clock.now()));
    return this.policies.of(organisationId);
  }

  async categoriesOf(residentId: string) {
    return (await this.policies.categoriesOf(residentId)).map((c) => ({
      category: c.category,
      since: c.since.toISOString(),
    }));
  }

  async setCategories(residentId: string, categories: { category: string; since?: string }[]) {
    const names = categories.map((c) => c.category);
    if (new Set(names).size !== names.length)
      throw new DomainError('VALIDATION_FAILED', 'each category at most once', { field: 'categories' });
    const now = this.clock.now();
    if (categories.some((c) => c.since !== undefined && Date.parse(c.since) > now))
      throw new DomainError('VALIDATION_FAILED', 'since must not be in the future', { field: 'since' });
    await this.policies.setCategories(
      residentId,
      categories.map((c) => ({ category: c.category, since: c.since ? new Date(c.since) : undefined })),
      new Date(now),
    );
    return this.categoriesOf(residentId);
  }

  /** Answered like every other change to a visit: with whether it is overdue now (one due in the past is). */
  private async plan(
    draft: Parameters<typeof newVisit>[0],
    user: AuthUser,
    duplicate: string,
  ): Promise<Visit & { overdue: boolean }> {
    const now = this.clock.now();
    const [stored] = await this.visits.insertNew([newVisit(draft, user.username, now)]);
    if (!stored) throw new DomainError('CONFLICT', duplicate, { source: draft.source, sourceKey: draft.sourceKey });
    this.events.events$.next({ type: 'visit.planned', at: now, visit: stored });
    return { ...stored, overdue: isOverdue(stored, now) };
  }
}

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, { field });
