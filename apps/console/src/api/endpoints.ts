import { api, request } from './client';
import { ApiError } from './errors';
import type {
  Alarm,
  AlarmDetail,
  Bed,
  Dispatch,
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

  kpis: (from: Date, to: Date, signal?: AbortSignal) =>
    api.get<Kpis>(`/api/alarms/kpis?from=${enc(from.toISOString())}&to=${enc(to.toISOString())}`, signal),
};

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
