import type { ActionPlanResponder, Contact } from '@bedside/database';
import type { CallOutcome } from './call.dto';

export interface CallListEntry {
  calleeType: 'contact' | 'responder';
  name: string;
  phone: string;
  /** Contacts: keyholder or emergency; responders: their dispatch type. */
  role: string;
  /** What a dispatch of this person is (a contact who can come is dispatched as a key-holder). */
  responderType: ActionPlanResponder['type'];
  relation: string | null;
  attempts: number;
  lastOutcome: CallOutcome | null;
}

export interface CallList {
  entries: CallListEntry[];
  /** Index of whom to call next, or null when someone answered or everyone was tried. */
  next: number | null;
}

/**
 * The household's contacts in call order, then the plan's responders, each with what calls so far
 * gave. Worked in order: the next is the first never called; once all were tried, the first whose
 * last call was not answered and not a wrong number (busy, no answer: try again). Nobody is next
 * after someone answered.
 */
export function buildCallList(
  contacts: readonly Contact[],
  responders: readonly ActionPlanResponder[],
  attempts: readonly { calleeName: string; phone: string; outcome: CallOutcome }[],
): CallList {
  const base: Omit<CallListEntry, 'attempts' | 'lastOutcome'>[] = [
    ...[...contacts]
      .sort((a, b) => a.callOrder - b.callOrder)
      .map((c) => ({
        calleeType: 'contact' as const,
        name: c.name,
        phone: c.phone,
        role: c.role,
        responderType: 'keyholder' as const,
        relation: c.relation ?? null,
      })),
    ...responders.map((r) => ({
      calleeType: 'responder' as const,
      name: r.name,
      phone: r.phone,
      role: r.type,
      responderType: r.type,
      relation: null,
    })),
  ];
  const entries = base.map((e) => {
    const mine = attempts.filter((a) => a.calleeName === e.name && a.phone === e.phone);
    return { ...e, attempts: mine.length, lastOutcome: mine.at(-1)?.outcome ?? null };
  });
  if (entries.some((e) => e.lastOutcome === 'answered')) return { entries, next: null };
  const fresh = entries.findIndex((e) => e.attempts === 0);
  if (fresh >= 0) return { entries, next: fresh };
  const retry = entries.findIndex((e) => e.lastOutcome === 'no_answer' || e.lastOutcome === 'busy');
  return { entries, next: retry >= 0 ? retry : null };
}
