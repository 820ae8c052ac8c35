import type { Alarm } from './types';

/** Epoch ms as the ISO time the hub sends. */
export const at = (ms: number): string => new Date(ms).toISOString();

/** A raised, unacknowledged alarm as the hub lists it, with `over` applied: a builder for console specs. */
export function anAlarm(id: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id,
    organisationId: 'o',
    bedId: 'b',
    subject: null,
    kind: 'sos',
    severity: 'major',
    state: 'raised',
    cleared: false,
    clearedAt: null,
    cancelledByResidentAt: null,
    repeatCount: 0,
    startedAt: at(0),
    raisedAt: at(0),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    outcome: null,
    escalationLevel: 0,
    lastEscalatedAt: null,
    nextEscalationAt: null,
    incidentId: id,
    suppressed: false,
    reason: 'sos_pressed',
    message: '',
    details: {},
    key: id,
    heldSince: null,
    heldUntil: null,
    holdReason: null,
    heldBy: null,
    holdEscalates: null,
    bedLabel: null,
    residentName: null,
    householdId: null,
    householdName: null,
    address: null,
    timeZone: null,
    acknowledgedByName: null,
    resolvedByName: null,
    ...over,
  };
}
