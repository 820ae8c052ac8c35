import { answer, authHeaders, hub, notifyUnauthorized } from './client';
import { ApiError } from './errors';
import type { components, operations } from './schema';

/** The hub's wellness, visit, region and supervision-report routes as the console uses them. */

export interface BaselineMetric {
  median: number;
  mad: number;
  nights: number;
}
export type MetricName = 'bedExits' | 'timeInBedMs' | 'restingHeartRate' | 'restingRespirationRate';
/** A stored night; the hub's document leaves `summary` and `baseline` open, the console reads these figures of them. */
export type StoredNight = Omit<components['schemas']['StoredNightDto'], 'summary' | 'baseline'> & {
  summary: {
    hasData: boolean;
    presence: { timeInBedMs: number };
    bedExits: { count: number };
    heartRate: { median: number } | null;
    respirationRate: { median: number } | null;
  };
  baseline: { ready: false } | { ready: true; metrics: Record<MetricName, BaselineMetric | null> };
};

export type VisitFilter = NonNullable<operations['VisitsController_list']['parameters']['query']>;

/** A visit as lists show it, with whom it is for and where. */
export type Visit = components['schemas']['VisitViewDto'];

/** A visit as the hub answers a change to it. */
export type VisitRecord = components['schemas']['VisitDto'];

/** An alarm, a visit step or a night off the baseline on a resident's timeline. */
export type TimelineEntry = components['schemas']['ResidentTimelineDto']['entries'][number];

/** A district with its streets. */
export type Region = components['schemas']['DistrictTreeDto'];

export type SupervisionReport = components['schemas']['SupervisionReportDto'];

const qs = (params: Record<string, string | undefined>) => {
  const p = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return p.length ? `?${new URLSearchParams(p).toString()}` : '';
};

export const supervisionApi = {
  resident: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/residents/{id}', { params: { path: { id } }, signal })),
  nights: async (id: string, from: string, to: string, signal?: AbortSignal) => {
    const res = await answer(
      hub.GET('/api/residents/{id}/wellness', { params: { path: { id }, query: { from, to } }, signal }),
    );
    return { nights: res.nights as StoredNight[] };
  },
  timeline: (id: string, from: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/residents/{id}/timeline', { params: { path: { id }, query: { from } }, signal })),
  residentVisits: (id: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/residents/{id}/visits', { params: { path: { id } }, signal })),
  bedAlarms: (bedId: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/alarms', { params: { query: { bedId, limit: 50 } }, signal })),
  visits: (filter: VisitFilter, signal?: AbortSignal) =>
    answer(hub.GET('/api/visits', { params: { query: filter }, signal })),
  /** The signed-in worker's open visits, overdue first. */
  myVisits: (signal?: AbortSignal) => answer(hub.GET('/api/visits/mine', { signal })),
  assign: (id: string, body: components['schemas']['AssignVisitDto']) =>
    answer(hub.POST('/api/visits/{id}/assign', { params: { path: { id } }, body })),
  checkIn: (id: string, body: components['schemas']['CheckInDto']) =>
    answer(hub.POST('/api/visits/{id}/check-in', { params: { path: { id } }, body })),
  cancel: (id: string, body: components['schemas']['CancelVisitDto']) =>
    answer(hub.POST('/api/visits/{id}/cancel', { params: { path: { id } }, body })),
  /** A follow-up visit to the resident after an alarm (one per alarm; 409 when it exists). */
  followUp: (alarmId: string, body: components['schemas']['FollowUpVisitDto']) =>
    answer(hub.POST('/api/alarms/{alarmId}/visits', { params: { path: { alarmId } }, body })),
  regions: (organisationId?: string, signal?: AbortSignal) =>
    answer(hub.GET('/api/regions', { params: { query: { organisationId } }, signal })),
  organisations: (signal?: AbortSignal) => answer(hub.GET('/api/organisations', { signal })),
  report: (id: string, month: string, regionId?: string, signal?: AbortSignal) =>
    answer(
      hub.GET('/api/organisations/{id}/supervision-report', {
        params: { path: { id }, query: { month, regionId } },
        signal,
      }),
    ),
};

/** Downloads the report file with the session's credentials (a plain link could not send them). */
export async function downloadReport(
  organisationId: string,
  month: string,
  regionId: string | undefined,
  format: 'csv' | 'xlsx',
): Promise<void> {
  const res = await fetch(`/api/organisations/${organisationId}/supervision-report${qs({ month, regionId, format })}`, {
    headers: authHeaders(),
  });
  if (res.status === 401) notifyUnauthorized();
  if (!res.ok) throw ApiError.from(res.status, (await res.json().catch(() => undefined)) as never);
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `report.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
