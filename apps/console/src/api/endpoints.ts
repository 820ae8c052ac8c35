import { api, request } from './client';
import { ApiError } from './errors';
import type {
  Alarm,
  AlarmDetail,
  ActionPlan,
  Bed,
  CallAttempt,
  CallList,
  CallOutcome,
  Dispatch,
  Handover,
  HandoverItem,
  HistoryPage,
  HistoryQuery,
  PlanResponder,
  ResidentTimelineItem,
  Wallboard,
  DispatchStatus,
  Household,
  Kpis,
  LoginResponse,
  Outcome,
  Resident,
  ResponderType,
  VitalsBucket,
} from './types';

const enc = encodeURIComponent;

/** `state=open` per the spec; hubs that only know the explicit states answer 400, then ask for those. */
let openQuery = 'state=open';
async function openAlarms(signal?: AbortSignal): Promise<Alarm[] | { items: Alarm[] }> {
  try {
    return await api.get<Alarm[] | { items: Alarm[] }>(`/api/alarms?${openQuery}`, signal);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400 || openQuery !== 'state=open') throw err;
    openQuery = 'state=raised,acknowledged';
    return api.get<Alarm[] | { items: Alarm[] }>(`/api/alarms?${openQuery}`, signal);
  }
}

export const endpoints = {
  login: (username: string, password: string) =>
    request<LoginResponse>('POST', '/api/auth/login', { body: { username, password }, anonymous: true }),
  logout: () => api.post<void>('/api/auth/logout'),

  openAlarms: (signal?: AbortSignal) => openAlarms(signal),
  alarm: (id: string, signal?: AbortSignal) => api.get<AlarmDetail>(`/api/alarms/${enc(id)}`, signal),
  displayed: (id: string) => api.post<void>(`/api/alarms/${enc(id)}/displayed`),
  acknowledge: (id: string, note?: string) =>
    api.post<unknown>(`/api/alarms/${enc(id)}/acknowledge`, note ? { note } : {}),
  addNote: (id: string, text: string) => api.post<unknown>(`/api/alarms/${enc(id)}/notes`, { text }),
  resolve: (id: string, outcome: Outcome, note?: string) =>
    api.post<unknown>(`/api/alarms/${enc(id)}/resolve`, note ? { outcome, note } : { outcome }),
  dispatch: (id: string, body: { responderType: ResponderType; responderName: string; note?: string }) =>
    api.post<Dispatch>(`/api/alarms/${enc(id)}/dispatches`, body),
  dispatches: (id: string, signal?: AbortSignal) => api.get<Dispatch[]>(`/api/alarms/${enc(id)}/dispatches`, signal),
  dispatchStatus: (id: string, dispatchId: string, status: DispatchStatus) =>
    api.post<Dispatch>(`/api/alarms/${enc(id)}/dispatches/${enc(dispatchId)}/status`, { status }),

  bed: (id: string, signal?: AbortSignal) => api.get<Bed>(`/api/beds/${enc(id)}`, signal),
  resident: (id: string, signal?: AbortSignal) => api.get<Resident>(`/api/residents/${enc(id)}`, signal),
  household: (id: string, signal?: AbortSignal) => api.get<Household>(`/api/households/${enc(id)}`, signal),
  vitals: (bedId: string, from: Date, to: Date, signal?: AbortSignal) =>
    api.get<VitalsBucket[] | { buckets?: VitalsBucket[] }>(
      `/api/beds/${enc(bedId)}/vitals?from=${enc(from.toISOString())}&to=${enc(to.toISOString())}&interval=30s&fields=heartRate,respirationRate,spo2`,
      signal,
    ),

  callList: (id: string, signal?: AbortSignal) => api.get<CallList>(`/api/alarms/${enc(id)}/call-list`, signal),
  logCall: (
    id: string,
    body: {
      calleeType: 'contact' | 'responder';
      calleeName: string;
      phone: string;
      outcome: CallOutcome;
      note?: string;
    },
  ) => api.post<CallAttempt>(`/api/alarms/${enc(id)}/calls`, body),
  hold: (id: string, body: { until: string; reason: string; stopEscalation?: boolean }) =>
    api.post<unknown>(`/api/alarms/${enc(id)}/hold`, body),
  endHold: (id: string) => api.post<unknown>(`/api/alarms/${enc(id)}/hold/end`),
  actionPlans: (orgId: string, signal?: AbortSignal) =>
    api.get<ActionPlan[]>(`/api/organisations/${enc(orgId)}/action-plans`, signal),
  putActionPlan: (orgId: string, kind: string, body: { steps: string[]; responders: PlanResponder[] }) =>
    request<ActionPlan>('PUT', `/api/organisations/${enc(orgId)}/action-plans/${enc(kind)}`, { body }),

  history: (q: HistoryQuery, signal?: AbortSignal) =>
    api.get<HistoryPage>(`/api/history/alarms?${historyParams(q)}`, signal),
  residentTimeline: (id: string, signal?: AbortSignal) =>
    api.get<{ items: ResidentTimelineItem[] }>(`/api/residents/${enc(id)}/alarm-history`, signal),

  handovers: (orgId: string, signal?: AbortSignal) =>
    api.get<Handover[]>(`/api/organisations/${enc(orgId)}/handovers`, signal),
  handoverDraft: (orgId: string, signal?: AbortSignal) =>
    api.get<{ items: HandoverItem[] }>(`/api/organisations/${enc(orgId)}/handovers/draft`, signal),
  writeHandover: (orgId: string, body: { summary: string; followUps: { text: string }[] }) =>
    api.post<Handover>(`/api/organisations/${enc(orgId)}/handovers`, body),
  acknowledgeHandover: (orgId: string, id: string) =>
    api.post<Handover>(`/api/organisations/${enc(orgId)}/handovers/${enc(id)}/acknowledge`),

  wallboard: (signal?: AbortSignal) =>
    api.get<Wallboard>(
      `/api/wallboard?timeZone=${enc(Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai')}`,
      signal,
    ),

  kpis: (from: Date, to: Date, signal?: AbortSignal) =>
    api.get<Kpis>(`/api/alarms/kpis?from=${enc(from.toISOString())}&to=${enc(to.toISOString())}`, signal),
};

/** The history search as query parameters (empty fields left out). */
export function historyParams(q: HistoryQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '' && v !== null) p.set(k, String(v));
  return p.toString();
}

/** The list endpoint may answer a bare array or a page `{items}`. */
export function alarmList(body: Alarm[] | { items: Alarm[] } | undefined): Alarm[] {
  if (!body) return [];
  return Array.isArray(body) ? body : (body.items ?? []);
}

/** Actions may answer the alarm, `{alarm}`, or nothing; returns the alarm when there is one. */
export function alarmFromResponse(res: unknown): Alarm | null {
  const candidate = (res as { alarm?: unknown } | null)?.alarm ?? res;
  if (
    candidate &&
    typeof candidate === 'object' &&
    'id' in candidate &&
    'state' in candidate &&
    'severity' in candidate
  )
    return candidate as Alarm;
  return null;
}
