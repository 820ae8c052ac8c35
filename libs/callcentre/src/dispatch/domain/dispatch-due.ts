export const RESPONDER_TYPES = ['keyholder', 'community_worker', 'ambulance'] as const;
export type ResponderType = (typeof RESPONDER_TYPES)[number];
export const DISPATCH_STATUSES = ['dispatched', 'en_route', 'on_site', 'closed'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

/** What an organisation expects of one kind of responder, in seconds. */
export interface DispatchExpectation {
  responderType: ResponderType;
  /** On site within this long of being dispatched. */
  onSiteWithinS: number;
  /** Work order closed within this long of arriving; null: no expectation. */
  closeWithinS: number | null;
}

const MIN = 60;

/**
 * Defaults when an organisation set none: an ambulance is expected within 20 minutes (urban
 * emergency response targets are 12-20), a key-holder living nearby within 30, a community
 * worker who may be on another visit within 45; the work order closed within 1 hour of an
 * ambulance arriving (handed over or transported) and within 2 hours of anyone else arriving.
 */
export const DEFAULT_EXPECTATIONS: Readonly<Record<ResponderType, DispatchExpectation>> = {
  ambulance: { responderType: 'ambulance', onSiteWithinS: 20 * MIN, closeWithinS: 60 * MIN },
  keyholder: { responderType: 'keyholder', onSiteWithinS: 30 * MIN, closeWithinS: 120 * MIN },
  community_worker: { responderType: 'community_worker', onSiteWithinS: 45 * MIN, closeWithinS: 120 * MIN },
};

/** The organisation's expectation per responder type: its own where set, the default elsewhere. */
export function expectationsWith(own: readonly DispatchExpectation[]): DispatchExpectation[] {
  return RESPONDER_TYPES.map((t) => own.find((e) => e.responderType === t) ?? DEFAULT_EXPECTATIONS[t]);
}

/** The step a dispatch in this status waits for: the responder's arrival, the close-out, or none. */
export function awaitedStep(status: DispatchStatus): 'arrival' | 'close' | null {
  if (status === 'dispatched' || status === 'en_route') return 'arrival';
  if (status === 'on_site') return 'close';
  return null;
}

/**
 * When the step a dispatch now waits for is due, given when it entered `status` (dispatched:
 * created; on site: arrived). Being on the way does not restart the arrival clock. Null when
 * nothing is expected (closed, or no close-out expectation).
 */
export function dueAtFor(
  status: DispatchStatus,
  stepStartedAt: number,
  expectation: Pick<DispatchExpectation, 'onSiteWithinS' | 'closeWithinS'>,
): number | null {
  const step = awaitedStep(status);
  if (step === 'arrival') return stepStartedAt + expectation.onSiteWithinS * 1000;
  if (step === 'close' && expectation.closeWithinS !== null) return stepStartedAt + expectation.closeWithinS * 1000;
  return null;
}

/** Open, with a due time, and past it (at the due instant itself it is still in time). */
export function isOverdue(d: { status: DispatchStatus; dueAt: number | null }, now: number): boolean {
  return d.status !== 'closed' && d.dueAt !== null && now > d.dueAt;
}

/** Dispatches to flag now: overdue for the step they wait for and not flagged for it before. */
export function newlyOverdue<T extends { status: DispatchStatus; dueAt: number | null; overdueAt: number | null }>(
  dispatches: readonly T[],
  now: number,
): T[] {
  return dispatches.filter((d) => d.overdueAt === null && isOverdue(d, now));
}

/** Whole minutes late (at least 1), for the timeline note. */
export function minutesLate(dueAt: number, now: number): number {
  return Math.max(1, Math.floor((now - dueAt) / 60_000));
}

/**
 * Due time and flag after a status change at `at`. A new awaited step (arrival to close-out)
 * gets its own due time and a clear flag; on the way keeps the arrival clock and any flag; a
 * closed work order keeps what it had, as the record of whether it ran late.
 */
export function afterStatusChange(
  d: { status: DispatchStatus; dueAt: number | null; overdueAt: number | null },
  next: DispatchStatus,
  at: number,
  expectation: Pick<DispatchExpectation, 'onSiteWithinS' | 'closeWithinS'>,
): { dueAt: number | null; overdueAt: number | null } {
  if (next === 'closed' || awaitedStep(next) === awaitedStep(d.status))
    return { dueAt: d.dueAt, overdueAt: d.overdueAt };
  return { dueAt: dueAtFor(next, at, expectation), overdueAt: null };
}
