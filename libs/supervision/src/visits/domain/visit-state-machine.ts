import type { Visit, VisitAction, VisitHistoryEntry, VisitState } from './visit';

/** An action the visit's state does not allow; mapped to 409 at the edge. */
export class VisitTransitionError extends Error {
  constructor(
    readonly from: VisitState,
    readonly action: VisitAction['type'],
    message: string,
  ) {
    super(message);
    this.name = 'VisitTransitionError';
  }
}

const DONE: readonly VisitState[] = ['visited', 'not_home', 'cancelled'];

/**
 * The only way a visit changes. planned -> assigned (assign, again to reassign) -> visited or
 * not_home (check-in); planned or assigned -> cancelled. A check-in needs someone assigned,
 * so every visit done names who did it; a finished visit takes notes only. "Not home" ends
 * the order: the policy planner counts only visits where the resident was seen, so the next
 * one is planned at once.
 */
export function applyVisitAction(visit: Visit, action: VisitAction, actor: string, now: number): Visit {
  const done = DONE.includes(visit.state);
  const entry = (to: VisitState, note: string | null): VisitHistoryEntry => ({
    at: now,
    actor,
    action: action.type,
    from: visit.state,
    to,
    note,
  });
  const refuse = (message: string) => new VisitTransitionError(visit.state, action.type, message);
  switch (action.type) {
    case 'assign': {
      if (done) throw refuse(`a ${visit.state} visit cannot be assigned`);
      const note = `${action.assignee.kind}: ${action.assignee.name}`;
      return {
        ...visit,
        state: 'assigned',
        assignee: action.assignee,
        updatedAt: now,
        history: [...visit.history, entry('assigned', note)],
      };
    }
    case 'check_in': {
      if (visit.state !== 'assigned') throw refuse(`only an assigned visit can be checked in (it is ${visit.state})`);
      if (action.at > now) throw refuse('the check-in time is in the future');
      if (action.found === 'visited' && !action.outcome) throw refuse('a visit done needs an outcome');
      return {
        ...visit,
        state: action.found,
        checkedInAt: action.at,
        outcome: action.found === 'visited' ? action.outcome! : null,
        notes: action.notes ?? visit.notes,
        updatedAt: now,
        history: [...visit.history, entry(action.found, action.notes ?? null)],
      };
    }
    case 'reschedule': {
      if (done) throw refuse(`a ${visit.state} visit cannot be rescheduled`);
      return {
        ...visit,
        dueAt: action.dueAt,
        // A new due date in the future takes the visit off the overdue list until it passes again.
        overdueAt: action.dueAt > now ? null : visit.overdueAt,
        updatedAt: now,
        history: [...visit.history, entry(visit.state, `due ${new Date(action.dueAt).toISOString()}`)],
      };
    }
    case 'note':
      return {
        ...visit,
        notes: visit.notes ? `${visit.notes}\n${action.text}` : action.text,
        updatedAt: now,
        history: [...visit.history, entry(visit.state, action.text)],
      };
    case 'cancel': {
      if (done) throw refuse(`a ${visit.state} visit cannot be cancelled`);
      return {
        ...visit,
        state: 'cancelled',
        updatedAt: now,
        history: [...visit.history, entry('cancelled', action.reason)],
      };
    }
  }
}
