import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import { toLocal } from '@bedside/rules';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { addNights, nightWindow } from '../libs/wellness/src/domain/night-window';
import type { WellnessSample } from '../libs/wellness/src/domain/night-summary';
import { atNight, syntheticNight, type SyntheticNight } from '../libs/wellness/src/testing/night-fixture';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Daily wellness end to end: weeks of compressed nights streamed over MQTT with past timestamps
 * (as a device sends its buffer), summarised by the hub's own job as late data, read back with
 * baselines and deviations through the REST API, for beds in two time zones.
 */
type Provisioned = Awaited<ReturnType<ReturnType<typeof hubApi>['provisionBed']>>;

let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
const clients: MqttClient[] = [];

const today = (tz: string) => {
  const l = toLocal(Date.now(), tz);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
};

async function device(p: Provisioned, kind: 'mattress' | 'wearable') {
  const creds = p.devices[kind].credentials as Creds;
  const client = await connectDevice(hub.mqttUrl, creds);
  clients.push(client);
  let seq = 0;
  /** Samples in messages of at most 300, as the contract allows, each with its own past ts. */
  const send = async (samples: Record<string, unknown>[]) => {
    for (let i = 0; i < samples.length; i += 300) {
      await client.publishAsync(
        telemetryTopic(creds.deviceId),
        JSON.stringify({ ts: Date.now(), seq: ++seq, samples: samples.slice(i, i + 300) }),
        { qos: 1 },
      );
    }
  };
  return { creds, send };
}

const FIELDS = {
  mattress: ['ts', 'inBed', 'heartRate', 'respirationRate', 'movement', 'signalQuality'],
  wearable: ['ts', 'worn', 'heartRate', 'spo2'],
} as const;
const wire = (samples: WellnessSample[], kind: 'mattress' | 'wearable') =>
  samples
    .filter((s) => s.kind === kind)
    .map((s) => Object.fromEntries(FIELDS[kind].filter((f) => s[f] !== undefined).map((f) => [f, s[f]])));

/** Streams the nights of one bed: five-minute samples, a week and more. */
async function streamNights(p: Provisioned, nights: SyntheticNight[]) {
  const mattress = await device(p, 'mattress');
  const wearable = await device(p, 'wearable');
  for (const n of nights) {
    const samples = syntheticNight({
      intervalMs: 5 * 60_000,
      wearable: { deviceId: 'w', from: '22:30', to: '06:30', spo2: 96 },
      ...n,
    });
    await mattress.send(wire(samples, 'mattress'));
    await wearable.send(wire(samples, 'wearable'));
  }
  return { mattress, wearable };
}

const nightsOf = async (residentId: string, from: string, to: string) => {
  const r = await api.get(`/api/residents/${residentId}/wellness?from=${from}&to=${to}`);
  expect(r.status).toBe(200);
  return r.body.nights as any[];
};

beforeAll(async () => {
  hub = await startHub({ WELLNESS_SWEEP_MS: '1000' });
  api = hubApi(hub);
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.endAsync().catch(() => undefined);
  await hub?.dispose();
});

describe('wellness over MQTT and REST', () => {
  const restless = [
    { at: '23:00', minutes: 15 },
    { at: '01:00', minutes: 15 },
    { at: '02:30', minutes: 15 },
    { at: '04:00', minutes: 15 },
  ];

  it('summarises late nights, builds the baseline over a week, flags the restless night and lists it for visits', async () => {
    const tz = 'Asia/Shanghai';
    const p = await api.provisionBed('wellness shanghai');
    const last = addNights(today(tz), -2);
    const first = addNights(last, -8);
    const nights: SyntheticNight[] = Array.from({ length: 8 }, (_, i) => ({
      night: addNights(first, i),
      timeZone: tz,
      absences: [{ at: '02:00', minutes: 10 }],
    }));
    nights.push({ night: last, timeZone: tz, absences: restless });
    const { mattress } = await streamNights(p, nights);

    const stored = await waitFor(
      async () => {
        const n = await nightsOf(p.resident.id, first, last);
        return n.length === 9 && n[8].deviations.length > 0 && n[8].summary.samples.mattress === 216 && n;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'nine summarised nights with the last flagged' },
    );

    expect(stored.map((n) => n.night)).toEqual(nights.map((n) => n.night));
    expect(stored.map((n) => n.baseline.ready)).toEqual([false, false, false, false, false, false, false, true, true]);
    expect(stored[0].baseline).toEqual({ ready: false, night: first, nights: 0, required: 7 });
    const usual = stored[7].summary;
    expect(usual).toEqual(
      expect.objectContaining({
        night: addNights(first, 7),
        timeZone: tz,
        hasData: true,
        window: { ...nightWindow(usual.night, tz), night: undefined, durationMs: 18 * 3_600_000 },
      }),
    );
    expect(usual.presence.timeInBedMs).toBe(9 * 3_600_000 - 10 * 60_000);
    expect(usual.bedExits).toEqual(expect.objectContaining({ count: 1, longestMs: 10 * 60_000 }));
    expect(usual.heartRate.median).toBe(62);
    expect(usual.spo2.median).toBe(96);
    expect(usual.wearable).toEqual({ wornMs: 8 * 3_600_000 });
    expect(usual.devices).toEqual(
      expect.arrayContaining([expect.objectContaining({ deviceId: mattress.creds.deviceId, uptime: 1, gapCount: 0 })]),
    );
    expect(stored[7].deviations).toEqual([]);
    expect(stored[8].deviations).toEqual([{ code: 'bed_exits_up', value: 4, baseline: 1, threshold: 3 }]);

    const visits = await api.get(`/api/organisations/${p.org.id}/wellness/deviations?date=${last}`);
    expect(visits.status).toBe(200);
    expect(visits.body).toEqual({
      organisationId: p.org.id,
      night: last,
      residents: [
        expect.objectContaining({
          residentId: p.resident.id,
          residentName: p.resident.name,
          bedId: p.bed.id,
          deviations: stored[8].deviations,
        }),
      ],
    });
    expect(
      (await api.get(`/api/organisations/${p.org.id}/wellness/deviations?date=${addNights(last, -1)}`)).body.residents,
    ).toEqual([]);

    // Late data that changes a night: a fifth absence between the five-minute samples.
    const t = atNight(last, '05:00', tz);
    await mattress.send(
      [1, 2, 3, 4].map((m) => ({
        ts: t + m * 60_000 + 30_000,
        inBed: false,
        heartRate: 0,
        respirationRate: 0,
        movement: 0,
        signalQuality: 10,
      })),
    );
    const reopened = await waitFor(
      async () => {
        const [n] = await nightsOf(p.resident.id, last, last);
        return n.summary.bedExits.count === 5 && n;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the night recomputed with the late samples' },
    );
    expect(reopened.revision).toBeGreaterThan(stored[8].revision);
    expect(reopened.deviations).toEqual([{ code: 'bed_exits_up', value: 5, baseline: 1, threshold: 3 }]);
  }, 120_000);

  it('in another zone, across its own nights: a rising resting heart rate, and a night without data after a recompute', async () => {
    const tz = 'Europe/Berlin';
    const p = await api.provisionBed('wellness berlin');
    expect((await api.call('PATCH', `/api/households/${p.household.id}`, { timeZone: tz })).status).toBe(200);
    const silent = addNights(today(tz), -2);
    const last = addNights(silent, -1);
    const first = addNights(last, -7);
    const nights: SyntheticNight[] = Array.from({ length: 7 }, (_, i) => ({
      night: addNights(first, i),
      timeZone: tz,
    }));
    nights.push({ night: last, timeZone: tz, heartRate: 75 });
    await streamNights(p, nights);

    await waitFor(async () => (await nightsOf(p.resident.id, first, last)).length === 8, {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'eight nights',
    });
    // A supervisor asks for the whole fortnight again: the silent night gets a summary too.
    const r = await api.post(`/api/residents/${p.resident.id}/wellness/recompute`, { from: first, to: silent });
    expect(r.status).toBe(200);
    const byNight = new Map((r.body.nights as any[]).map((n) => [n.night, n]));
    expect(r.body.nights).toHaveLength(9);
    expect(byNight.get(last).summary.timeZone).toBe(tz);
    expect(byNight.get(last).deviations).toEqual([
      { code: 'resting_heart_rate_up', value: 75, baseline: 62, threshold: 70 },
    ]);
    expect(byNight.get(silent).summary.hasData).toBe(false);
    expect(byNight.get(silent).deviations).toEqual([{ code: 'no_data', value: null, baseline: null, threshold: null }]);
    expect((await api.get(`/api/organisations/${p.org.id}/wellness/deviations?date=${silent}`)).body.residents).toEqual(
      [expect.objectContaining({ residentId: p.resident.id })],
    );

    // The organisation tolerates a larger rise: after a recompute the night is no longer flagged.
    expect((await api.get(`/api/organisations/${p.org.id}/wellness/thresholds`)).body).toEqual(
      expect.objectContaining({ defaults: true }),
    );
    const put = await api.put(`/api/organisations/${p.org.id}/wellness/thresholds`, {
      restingHeartRate: { minChange: 20 },
    });
    expect(put).toEqual({
      status: 200,
      body: expect.objectContaining({
        organisationId: p.org.id,
        defaults: false,
        thresholds: expect.objectContaining({
          restingHeartRate: { minChange: 20, madFactor: 3 },
          bedExits: { minChange: 2, madFactor: 3 },
        }),
      }),
    });
    expect(
      (await api.put(`/api/organisations/${p.org.id}/wellness/thresholds`, { restingHeartRate: { minChange: -1 } }))
        .status,
    ).toBe(400);
    expect((await api.put(`/api/organisations/${p.org.id}/wellness/thresholds`, { loudness: {} })).status).toBe(400);
    const again = await api.post(`/api/residents/${p.resident.id}/wellness/recompute`, { from: last, to: last });
    expect(again.body.nights[0].deviations).toEqual([]);
  }, 120_000);

  it('refuses malformed nights and ranges', async () => {
    const p = await api.provisionBed('wellness bad input');
    expect((await api.get(`/api/organisations/${p.org.id}/wellness/deviations`)).status).toBe(400);
    expect((await api.get(`/api/organisations/${p.org.id}/wellness/deviations?date=2026-02-30`)).status).toBe(400);
    expect((await api.get(`/api/residents/${p.resident.id}/wellness?from=yesterday`)).status).toBe(400);
    expect((await api.get(`/api/residents/${p.resident.id}/wellness?from=2026-03-02&to=2026-03-01`)).status).toBe(400);
    expect(
      (await api.post(`/api/residents/${p.resident.id}/wellness/recompute`, { from: '2026-01-01', to: '2026-06-01' }))
        .status,
    ).toBe(400);
    const empty = await api.get(`/api/residents/${p.resident.id}/wellness?from=2026-03-01&to=2026-03-07`);
    expect(empty).toEqual({
      status: 200,
      body: { residentId: p.resident.id, from: '2026-03-01', to: '2026-03-07', nights: [] },
    });
  }, 30_000);
});
