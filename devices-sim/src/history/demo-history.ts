import { toLocal } from '@bedside/rules';
import type { SimDevice } from '../fleet/connect-devices';
import type { HubRestClient } from '../hub/hub-rest.client';
import { addDays } from './night-history';
import { profileOf, sendHistory } from './send-history';

/** The last night that has ended (noon) with time to spare: yesterday's after 13:00 local, else the one before. */
export function lastEndedNight(now: number, timeZone: string): string {
  const l = toLocal(now, timeZone);
  const today = `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
  return addDays(today, l.hour >= 13 ? -1 : -2);
}

/**
 * Gives the demo weeks of history: two districts with a street each, a weekly visiting policy
 * for residents living alone (every third bed), and `nights` past nights of every bed uploaded
 * as device buffers, so the wellness summaries, baselines, deviations and visit list fill in.
 */
export async function seedDemoHistory(
  api: HubRestClient,
  organisationId: string,
  devices: SimDevice[],
  o: { nights: number; timeZone: string; seed: number },
): Promise<{ beds: number; samples: number; profiles: Record<string, string> }> {
  const last = lastEndedNight(Date.now(), o.timeZone);
  const first = addDays(last, -(o.nights - 1));
  const region = (body: Record<string, unknown>) =>
    api.post<{ id: string }>('/api/regions', { organisationId, ...body }).catch(() => null);
  const gulou = await region({ kind: 'district', name: '鼓楼区', code: '320106' });
  const xuanwu = await region({ kind: 'district', name: '玄武区', code: '320102' });
  const streets = [
    gulou && (await region({ kind: 'street', parentId: gulou.id, name: '中山路街道' })),
    xuanwu && (await region({ kind: 'street', parentId: xuanwu.id, name: '梅园街道' })),
  ];
  await api.request('PUT', `/api/organisations/${organisationId}/visit-policies`, {
    policies: [{ category: 'living_alone', intervalDays: 7 }],
  });
  const profiles: Record<string, string> = {};
  const beds = [...new Map(devices.map((d) => [d.bedIndex, d.bed])).entries()];
  for (const [bedIndex, bed] of beds) {
    profiles[bed.label] = profileOf(bedIndex);
    if (!bed.bedId) continue;
    const info = await api.get<{ householdId: string; residentId: string | null }>(`/api/beds/${bed.bedId}`);
    const street = streets[bedIndex % 2];
    if (street) await api.request('PUT', `/api/households/${info.householdId}/region`, { regionId: street.id });
    if (info.residentId && bedIndex % 3 === 0)
      await api.request('PUT', `/api/residents/${info.residentId}/categories`, {
        categories: [{ category: 'living_alone', since: `${first}T00:00:00Z` }],
      });
  }
  const sent = await sendHistory(devices, { nights: o.nights, lastNight: last, timeZone: o.timeZone, seed: o.seed });
  return { ...sent, profiles };
}
