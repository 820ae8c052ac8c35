import { anonymousHub, answer, hub } from './client';
import type { operations } from './schema';
import type {
  AlarmDetail,
  CallOutcome,
  DispatchExpectation,
  DispatchStep,
  HistoryQuery,
  OpenDispatch,
  Outcome,
  PlanResponder,
  QueueAlarm,
  ResponderType,
  VitalsBucket,
} from './types';

type HistorySearch = NonNullable<operations['HistoryController_search']['parameters']['query']>;
type KindFilter = NonNullable<HistorySearch['kind']>[number];
type OutcomeFilter = NonNullable<HistorySearch['outcome']>[number];

/** Vitals around an alarm: 30 s buckets of the fields the detail page charts. */
const VITALS_INTERVAL = '30s';
const VITALS_FIELDS = 'heartRate,respirationRate,spo2';

export const endpoints = {
  login: (username: string, password: string) =>
    answer(anonymousHub.POST('/api/auth/login', { body: { username, password } }), true),
  logout: () => answer(hub.POST('/api/auth/logout')),

  openAlarms: (signal?: AbortSignal): Promise<QueueAlarm[]> =>
    answer(hub.GET('/api/alarms', { params: { query: { state: ['raised', 'acknowledged'] } }, signal })),
  alarm: (id: string, signal?: AbortSignal): Promise<AlarmDetail> =>
    answer(hub.GET('/api/alarms/{id}', { params: { path: { id } }, signal })),
  displayed: (alarmId: string) =>
    answer(hub.POST('/api/alarms/{alarmId}/displayed', { params: { path: { alarmId } } })),
  acknowledge: (id: string, note?: string): Promise<AlarmDetail> =>
    answer(hub.POST('/api/alarms/{id}/acknowledge', { params: { path: { id } }, body: note ? { note } : {} })),
  addNote: (id: string, text: string): Promise<AlarmDetail> =>
    answer(hub.POST('/api/alarms/{id}/notes', { params: { path: { id } }, body: { text } })),
  resolve: (id: string, outcome: Outcome, note?: string): Promise<AlarmDetail> =>
    answer(
      hub.POST('/api/alarms/{id}/resolve', { params: { path: { id } }, body: note ? { outcome, note } : { outcome } }),
    ),
  dispatch: (alarmId: string, body: { responderType: ResponderType; responderName: string; note?: string }) =>
    answer(hub.POST('/api/alarms/{alarmId}/dispatches', { params: { path: { alarmId } }, body })),
  dispatches: (alarmId: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/alarms/{alarmId}/dispatches', { params: { path: { alarmId } }, signal })),
  /** The organisation's open work orders, soonest due first; `overdue`: only those past due. */
  openDispatches: (overdue: boolean, signal?: AbortSignal): Promise<OpenDispatch[]> =>
    answer(hub.GET('/api/dispatches', { params: { query: overdue ? { overdue: true } : {} }, signal })),
  dispatchStatus: (alarmId: string, dispatchId: string, status: DispatchStep) =>
    answer(
      hub.POST('/api/alarms/{alarmId}/dispatches/{dispatchId}/status', {
        params: { path: { alarmId, dispatchId } },
        body: { status },
      }),
    ),

  bed: (id: string, signal?: AbortSignal) => answer(hub.GET('/api/beds/{id}', { params: { path: { id } }, signal })),
  resident: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/residents/{id}', { params: { path: { id } }, signal })),
  households: (signal?: AbortSignal) => answer(hub.GET('/api/households', { signal })),
  residents: (householdId: string | undefined, signal?: AbortSignal) =>
    answer(hub.GET('/api/residents', { params: { query: { householdId } }, signal })),
  beds: (householdId: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/beds', { params: { query: { householdId } }, signal })),
  /** Open alarms the hub places in a district (household, street, district joined there). */
  alarmsInDistrict: (district: string, signal?: AbortSignal): Promise<QueueAlarm[]> =>
    answer(
      hub.GET('/api/alarms', {
        params: { query: { state: ['raised', 'acknowledged'], limit: 5000, district } },
        signal,
      }),
    ),
  household: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/households/{id}', { params: { path: { id } }, signal })),
  vitals: async (bedId: string, from: Date, to: Date, signal?: AbortSignal): Promise<VitalsBucket[]> => {
    const res = await answer(
      hub.GET('/api/beds/{bedId}/vitals', {
        params: {
          path: { bedId },
          query: { from: from.getTime(), to: to.getTime(), interval: VITALS_INTERVAL, fields: VITALS_FIELDS },
        },
        signal,
      }),
    );
    return res.buckets ?? [];
  },

  callList: (alarmId: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/alarms/{alarmId}/call-list', { params: { path: { alarmId } }, signal })),
  logCall: (
    alarmId: string,
    body: {
      calleeType: 'contact' | 'responder';
      calleeName: string;
      phone: string;
      outcome: CallOutcome;
      note?: string;
    },
  ) => answer(hub.POST('/api/alarms/{alarmId}/calls', { params: { path: { alarmId } }, body })),
  hold: (alarmId: string, body: { until: string; reason: string; stopEscalation?: boolean }): Promise<AlarmDetail> =>
    answer(hub.POST('/api/alarms/{alarmId}/hold', { params: { path: { alarmId } }, body })),
  stopHoldEscalation: (alarmId: string, reason: string): Promise<AlarmDetail> =>
    answer(hub.POST('/api/alarms/{alarmId}/hold/stop-escalation', { params: { path: { alarmId } }, body: { reason } })),
  endHold: (alarmId: string): Promise<AlarmDetail> =>
    answer(hub.POST('/api/alarms/{alarmId}/hold/end', { params: { path: { alarmId } } })),
  actionPlans: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/organisations/{id}/action-plans', { params: { path: { id } }, signal })),
  putActionPlan: (id: string, kind: string, body: { steps: string[]; responders: PlanResponder[] }) =>
    answer(hub.PUT('/api/organisations/{id}/action-plans/{kind}', { params: { path: { id, kind } }, body })),
  dispatchExpectations: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/organisations/{id}/dispatch-expectations', { params: { path: { id } }, signal })),
  putDispatchExpectations: (id: string, expectations: DispatchExpectation[]) =>
    answer(
      hub.PUT('/api/organisations/{id}/dispatch-expectations', { params: { path: { id } }, body: { expectations } }),
    ),

  history: (q: HistoryQuery, signal?: AbortSignal) =>
    answer(hub.GET('/api/history/alarms', { params: { query: historySearch(q) }, signal })),
  residentTimeline: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/residents/{id}/alarm-history', { params: { path: { id } }, signal })),

  handovers: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/organisations/{id}/handovers', { params: { path: { id } }, signal })),
  handoverDraft: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/organisations/{id}/handovers/draft', { params: { path: { id } }, signal })),
  writeHandover: (id: string, body: { summary: string; followUps: { text: string }[] }) =>
    answer(hub.POST('/api/organisations/{id}/handovers', { params: { path: { id } }, body })),
  acknowledgeHandover: (id: string, handoverId: string) =>
    answer(
      hub.POST('/api/organisations/{id}/handovers/{handoverId}/acknowledge', { params: { path: { id, handoverId } } }),
    ),

  wallboard: (signal?: AbortSignal) =>
    answer(
      hub.GET('/api/wallboard', {
        params: { query: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai' } },
        signal,
      }),
    ),

  kpis: (from: Date, to: Date, signal?: AbortSignal) =>
    answer(
      hub.GET('/api/alarms/kpis', { params: { query: { from: from.toISOString(), to: to.toISOString() } }, signal }),
    ),
};

/** The history form as the search route's query: empty fields left out, one kind and outcome at most. */
export function historySearch(q: HistoryQuery): HistorySearch {
  const text = (v: string | undefined) => (v ? v : undefined);
  return {
    q: text(q.q),
    kind: q.kind ? [q.kind as KindFilter] : undefined,
    outcome: q.outcome ? [q.outcome as OutcomeFilter] : undefined,
    from: text(q.from),
    to: text(q.to),
    residentId: text(q.residentId),
    householdId: text(q.householdId),
    bedId: text(q.bedId),
    page: q.page,
  };
}

/** The history search as a query string (empty fields left out), for the CSV export link. */
export function historyParams(q: HistoryQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(historySearch(q))) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}
