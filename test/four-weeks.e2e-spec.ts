import type { MqttClient } from 'mqtt';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, readEventStream, startHub, SteppedClock, waitFor, type HubProcess } from '@bedside/testing';
import { addDays, nightSamples, planNights, type HistoryProfile } from '../devices-sim/src/history/night-history';
import type { MattressSample, WearableSample } from '../devices-sim/src/models/model.types';
import { addCareBed } from './care-beds';
import { connectDevice } from './mqtt-helpers';

/**
 * Four weeks on the hub's own clock: the built hub (PGlite, in its own process and so on its
 * clock) lives through February 2027, 28 nights of three residents from devices-sim's history
 * generator (steady, deteriorating over the last third, often away), one household in another
 * zone (Asia/Urumqi, UTC+6), while their devices send the readings of each step over MQTT as it
 * ends on the hub's clock. As the days pass the test reads back the nightly summaries (each
 * against the readings sent), the baselines and their flags, and the visits the planner makes
 * from flagged nights and from a living-alone policy (live on /api/visits/stream); at the end,
 * the month's supervision report (API and CSV) against counts made here from what was sent and
 * done.
 *
 * The clock: libfaketime reads an offset from a file the test moves forward two hours at a time
 * (SteppedClock: FAKETIME_NO_CACHE, and FAKETIME_DONT_FAKE_MONOTONIC so only the wall clock
 * jumps). A speed factor would have to be about x40000 to fit a month in a minute: every hub
 * timer, keep-alive and database timeout would fire forty thousand times as often, and devices
 * would have to publish every few real milliseconds to keep up. Steps keep transport and timers
 * real and put the residents' time exactly where the test wants it, so the test knows the hub's
 * time to the millisecond and checks each due time from both sides. The hub's jobs run every
 * 0.2 s of real time (WELLNESS_SWEEP_MS, VISITS_SWEEP_MS); at each step where a night's summary or
 * a visit falls due the test waits for the job before moving on.
 *
 * Devices: each sends the readings of the two hours just passed in one message when they end (a
 * mattress and a wearable sample every 5 minutes, the call button its battery). Because the clock
 * jumps, the organisation's rule set puts deviceOffline.silentAfterMs at 6 h, three steps: above
 * the step plus the longest gap a device has here (a mattress unplugged for 90 minutes), and with
 * a step of margin for the hub evaluating a step's readings late (it gathers telemetry 50 ms
 * before evaluating it; steps last at least 100 ms). Offline detection stays on: one call button
 * silent for 10 h must raise exactly one device_offline alarm at its silence limit, and no
 * other device any. The same rule set turns off the absence and not-worn alarms, as a wellness
 * programme for residents who are up all day and wear the band only at night does; the alarms
 * counted are the presses and the tamper sent here, and the switched-off button.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEP = 2 * HOUR;
/** The organisation's device silence limit: three steps (see the header). */
const SILENT_AFTER = 6 * HOUR;
/**
 * The hub's rules gather telemetry for 50 ms of real time and evaluate it at its arrival time;
 * a step lasts at least this long, so readings are evaluated well before the clock has moved
 * past their silence limit.
 */
const MIN_STEP_REAL_MS = 100;
/** Real time the hub's clock runs on by between two steps, at most (it runs at real speed between them). */
const SLACK = MIN;
const SAMPLE_MS = 5 * MIN;
const GRACE_MS = 30 * MIN;
const SH = 'Asia/Shanghai';
const URQ = 'Asia/Urumqi';
const MONTH = '2027-02';
const FIRST_NIGHT = '2027-02-01';
const NIGHTS = 28;
const WARM_UP = 7;
const POLICY_DAYS = 7;
/**
 * Devices start sending at 16:00 in Shanghai (14:00 in Urumqi) on 1 February, the beds are set up
 * the hour before: after the night of 31 January has ended in both zones, so the first night the
 * hub knows of is the first of the month.
 */
const SIM_START = Date.parse('2027-02-01T08:00:00Z');
/** Past the end (12:00 local) and grace of the last night in both zones. */
const SIM_END = Date.parse('2027-03-01T08:00:00Z');
const MONTH_START = Date.parse('2027-01-31T16:00:00Z');
const MONTH_END = Date.parse('2027-02-28T16:00:00Z');

/** Samples as sent here: every one has its time. */
type Timed<T> = T & { ts: number };
type Sample = Timed<MattressSample> | Timed<WearableSample>;
interface Resident {
  label: string;
  timeZone: string;
  profile: HistoryProfile;
  seed: number;
  nights: string[];
  away: boolean[];
  mattress: Timed<MattressSample>[];
  wearable: Timed<WearableSample>[];
  /** Mattress samples sent per night (by index), for the uptime counted here. */
  sentPerNight: number[];
  bed: Awaited<ReturnType<typeof addCareBed>>;
  clients: Record<'mattress' | 'wearable' | 'button', MqttClient>;
  seq: number;
  /** Nights seen summarised so far, in order. */
  summarised: any[];
}

/** Neither zone has daylight saving: local times are fixed offsets, counted here without the hub's zone code. */
const UTC_OFFSET_H: Record<string, number> = { [SH]: 8, [URQ]: 6 };
const at = (date: string, hour: number, minute: number, tz: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day, hour, minute) - UTC_OFFSET_H[tz] * HOUR;
};
/** A night's window: 18:00 on its date to 12:00 the next day, local. */
const windowOf = (night: string, tz: string) => {
  const start = at(night, 18, 0, tz);
  return { start, end: start + 18 * HOUR };
};

let clock: SteppedClock;
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
const stream = new AbortController();
const visitEvents: { event: string; data: any }[] = [];

beforeAll(async () => {
  clock = new SteppedClock(SIM_START - HOUR);
  hub = await startHub(
    {
      ...clock.env,
      LOG_LEVEL: 'warn',
      WELLNESS_SWEEP_MS: '200',
      WELLNESS_GRACE_MS: String(GRACE_MS),
      VISITS_SWEEP_MS: '200',
      // Each step waits for its messages' PUBACKs: no group-commit delay before them.
      TELEMETRY_COMMIT_DELAY_MS: '0',
    },
    // Every clock call reads the offset file: the hub starts slower than usual, more so on a busy machine.
    { readyTimeoutMs: 90_000 },
  );
  api = hubApi(hub);
}, 120_000);

afterAll(async () => {
  stream.abort();
  await hub?.dispose();
  clock?.dispose();
});

/** A resident's 28 nights from the history generator, with the hours between them filled as a device fills them (empty bed, band off). */
function history(o: { label: string; timeZone: string; profile: HistoryProfile; seed: number }) {
  const plans = planNights({
    seed: o.seed,
    profile: o.profile,
    first: FIRST_NIGHT,
    count: NIGHTS,
    timeZone: o.timeZone,
  });
  const byTs = new Map<number, { m: Timed<MattressSample>; w: Timed<WearableSample> }>();
  plans.forEach((plan, i) => {
    const n = nightSamples(plan, o.timeZone, SAMPLE_MS, o.seed * 7919 + i);
    n.mattress.forEach((m, k) => byTs.set(m.ts!, { m: { ...m, ts: m.ts! }, w: { ...n.wearable[k], ts: m.ts! } }));
  });
  const mattress: Timed<MattressSample>[] = [];
  const wearable: Timed<WearableSample>[] = [];
  for (let t = SIM_START; t < SIM_END; t += SAMPLE_MS) {
    const s = byTs.get(t);
    mattress.push(s?.m ?? { ts: t, inBed: false, heartRate: 0, respirationRate: 0, movement: 0, signalQuality: 10 });
    wearable.push(s?.w ?? { ts: t, worn: false });
  }
  return { nights: plans.map((p) => p.night), away: plans.map((p) => p.away), mattress, wearable };
}

describe('four weeks of nights on the hub clock', () => {
  it('summaries, baselines, visits and the monthly report follow the month as it passes', async () => {
    // --- Setup at 15:00 on 1 February in Shanghai.
    const org = (await api.post('/api/organisations', { name: '城南居家养老服务中心' })).body;
    expect(
      (
        await api.put(`/api/organisations/${org.id}/rules`, {
          deviceOffline: { silentAfterMs: SILENT_AFTER },
          bedExit: { enabled: false },
          prolongedAbsence: { enabled: false },
          notWorn: { enabled: false },
        })
      ).status,
    ).toBe(200);
    const specs = [
      { label: '王奶奶', timeZone: SH, profile: 'steady' as const, seed: 11 },
      { label: '艾力爷爷', timeZone: URQ, profile: 'deteriorating' as const, seed: 12 },
      { label: '赵奶奶', timeZone: SH, profile: 'often_away' as const, seed: 13 },
    ];
    const residents: Resident[] = [];
    /** When each bed came into service, as bounded by the hub clock around its setup. */
    const inService: { before: number; after: number }[] = [];
    for (const s of specs) {
      const before = clock.now();
      const bed = await addCareBed(api, org.id, s.label, s.timeZone);
      inService.push({ before, after: clock.now() });
      const clients = {
        mattress: await connectDevice(hub.mqttUrl, bed.creds.mattress),
        wearable: await connectDevice(hub.mqttUrl, bed.creds.wearable),
        button: await connectDevice(hub.mqttUrl, bed.creds.button),
      };
      residents.push({ ...s, ...history(s), bed, clients, seq: 0, sentPerNight: [], summarised: [] });
    }
    const [steady, declining, away] = residents;

    // 王奶奶's mattress is unplugged 01:00-02:30 on two nights: 18 of the night's 216 readings are never sent.
    const unplugged = [9, 19].map((i) => {
      const day = addDays(steady.nights[i], 1);
      return { from: at(day, 1, 0, SH), to: at(day, 2, 30, SH) };
    });
    steady.mattress = steady.mattress.filter((m) => !unplugged.some((u) => m.ts >= u.from && m.ts < u.to));
    for (const r of residents)
      r.sentPerNight = r.nights.map((n) => {
        const w = windowOf(n, r.timeZone);
        return r.mattress.filter((m) => m.ts >= w.start && m.ts < w.end).length;
      });
    // 赵奶奶's call button is off on 12 February from 10:00 to 19:00, silent from its 10:00 upload to
    // its 20:00 one: the month's one true offline spell.
    const buttonOff = { from: at('2027-02-12', 10, 0, SH), to: at('2027-02-12', 19, 0, SH) };

    // Policy: 王奶奶 lives alone (recorded as of now) and is visited at least weekly.
    const since = Math.floor(clock.now() / 1000) * 1000 - 1000;
    expect(
      (
        await api.put(`/api/organisations/${org.id}/visit-policies`, {
          policies: [{ category: 'living_alone', intervalDays: POLICY_DAYS }],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.put(`/api/residents/${steady.bed.resident.id}/categories`, {
          categories: [{ category: 'living_alone', since: new Date(since).toISOString() }],
        })
      ).status,
    ).toBe(200);
    const res = await fetch(`${hub.httpUrl}/api/visits/stream`, {
      headers: { authorization: hub.authHeader },
      signal: stream.signal,
    });
    expect(res.status).toBe(200);
    void readEventStream(res.body!, {
      onEvent: (m) => m.event && visitEvents.push({ event: m.event, data: JSON.parse(m.data) }),
    }).catch(() => undefined);

    // --- What the test does and expects, kept here as the month passes.
    const alarmsSent: { kind: string; bedId: string; sentAt: number; ackAt?: number; outcome?: string }[] = [];
    const checkIns: { visitId: string; residentId: string; at: number; source: string }[] = [];
    const policy = { anchor: since, count: 0, open: null as any };
    const handled = new Set<string>();
    let buttonLastSent = { before: 0, after: 0 };

    const publish = async (r: Resident, from: number, to: number) => {
      const slice = (list: Sample[]) => list.filter((s) => s.ts >= from && s.ts < to);
      const sends: Promise<unknown>[] = [];
      for (const kind of ['mattress', 'wearable'] as const) {
        const samples = slice(r[kind]);
        if (samples.length)
          sends.push(
            r.clients[kind].publishAsync(
              telemetryTopic(r.bed.creds[kind].deviceId),
              JSON.stringify({ ts: clock.now(), seq: ++r.seq, samples }),
              { qos: 1 },
            ),
          );
      }
      const off = r === away && to > buttonOff.from && to < buttonOff.to;
      if (!off) {
        const before = clock.now();
        sends.push(
          r.clients.button
            .publishAsync(
              telemetryTopic(r.bed.creds.button.deviceId),
              JSON.stringify({ ts: clock.now(), seq: ++r.seq, samples: [{ battery: 90 }] }),
              { qos: 1 },
            )
            .then(() => {
              if (r === away && to <= buttonOff.from) buttonLastSent = { before, after: clock.now() };
            }),
        );
      }
      await Promise.all(sends);
    };

    /** Presses (or tampers) now, then the operator acknowledges and resolves it. */
    const raise = async (r: Resident, kind: 'sos' | 'tamper', outcome: string, dispatch = false) => {
      const device = kind === 'sos' ? 'button' : 'wearable';
      const sentAt = clock.now();
      await r.clients[device].publishAsync(
        eventsTopic(r.bed.creds[device].deviceId),
        JSON.stringify({
          eventId: `${kind}-${sentAt}`,
          type: kind === 'sos' ? 'button.pressed' : 'tamper',
          ts: sentAt,
        }),
        { qos: 1 },
      );
      const alarm = await waitFor(
        async () =>
          (await api.get(`/api/alarms?bedId=${r.bed.bed.id}`)).body.find(
            (a: any) => a.kind === kind && Date.parse(a.raisedAt) >= sentAt,
          ),
        { timeoutMs: 30_000, what: `the ${kind} alarm of ${r.label}` },
      );
      expect((await api.post(`/api/alarms/${alarm.id}/acknowledge`, {})).status).toBe(200);
      const ackAt = clock.now();
      if (dispatch)
        expect(
          (
            await api.post(`/api/alarms/${alarm.id}/dispatches`, {
              responderType: 'community_worker',
              responderName: '张社工',
            })
          ).status,
        ).toBe(201);
      expect((await api.post(`/api/alarms/${alarm.id}/resolve`, { outcome })).status).toBe(200);
      alarmsSent.push({ kind, bedId: r.bed.bed.id, sentAt, ackAt, outcome });
    };
    const scripted: { at: number; run: () => Promise<void> }[] = [
      { at: at('2027-02-05', 9, 0, SH), run: () => raise(steady, 'sos', 'assisted', true) },
      { at: at('2027-02-14', 22, 0, URQ), run: () => raise(declining, 'sos', 'false_alarm') },
      { at: at('2027-02-18', 14, 0, URQ), run: () => raise(declining, 'tamper', 'device_fault') },
      { at: at('2027-02-23', 3, 0, SH), run: () => raise(away, 'sos', 'real_emergency') },
    ];

    const wellness = async (r: Resident) =>
      (await api.get(`/api/residents/${r.bed.resident.id}/wellness?from=${r.nights[0]}&to=${r.nights[NIGHTS - 1]}`))
        .body.nights as any[];

    /** A visit the coordinator closes: assigned and found at home. */
    const visit = async (v: any) => {
      expect((await api.post(`/api/visits/${v.id}/assign`, { kind: 'worker', name: '张社工' })).status).toBe(200);
      const done = await api.post(`/api/visits/${v.id}/check-in`, { found: 'visited', outcome: 'well' });
      expect(done.status).toBe(200);
      checkIns.push({ visitId: v.id, residentId: v.residentId, at: done.body.checkedInAt, source: v.source });
      if (v.residentId === steady.bed.resident.id) policy.anchor = Math.max(policy.anchor, done.body.checkedInAt);
      return done.body;
    };
    const planned = (source: string) =>
      visitEvents.filter((e) => e.event === 'visit.planned' && e.data.visit.source === source).map((e) => e.data);

    const kinds = (list: { kind: string }[]) =>
      list.reduce<Record<string, number>>((m, a) => ({ ...m, [a.kind]: (m[a.kind] ?? 0) + 1 }), {});
    const wall = Date.now();
    for (let t = SIM_START; t < SIM_END; t += STEP) {
      const stepStarted = Date.now();
      const end = t + STEP;
      clock.set(end);
      await Promise.all(residents.map((r) => publish(r, t, end)));
      for (const s of scripted.filter((x) => x.at > t && x.at <= end)) await s.run();

      // Nights: not summarised when their window closes in the household's zone, summarised once the grace passed.
      await Promise.all(
        residents.map(async (r) => {
          for (const [i, night] of r.nights.entries()) {
            const window = windowOf(night, r.timeZone);
            const closes = window.end;
            if (closes > t && closes <= end) {
              expect((await wellness(r)).map((n) => n.night)).toEqual(r.nights.slice(0, i));
            }
            if (closes + GRACE_MS > t && closes + GRACE_MS <= end) {
              const nights = await waitFor(
                async () => {
                  const n = await wellness(r);
                  return n.length > i && n;
                },
                { timeoutMs: 30_000, intervalMs: 50, what: `night ${night} of ${r.label} summarised` },
              );
              // Exactly the nights that ended, on their local dates.
              expect(nights.map((n) => n.night)).toEqual(r.nights.slice(0, i + 1));
              // Its figures from the readings sent: each holds for its 5 minutes (or to the next one).
              const latest = nights[i];
              const inWindow = <T extends { ts: number }>(list: T[]) =>
                list.filter((x) => x.ts >= window.start && x.ts < window.end);
              expect({
                timeZone: latest.summary.timeZone,
                window: [latest.summary.window.start, latest.summary.window.end],
                mattress: latest.summary.samples.mattress,
                inBedMs: latest.summary.presence.timeInBedMs,
                wornMs: latest.summary.wearable.wornMs,
                alarms: latest.summary.alarms.byKind,
              }).toEqual({
                timeZone: r.timeZone,
                window: [window.start, window.end],
                mattress: r.sentPerNight[i],
                inBedMs: inWindow(r.mattress).filter((m) => m.inBed).length * SAMPLE_MS,
                wornMs: inWindow(r.wearable).filter((w) => w.worn).length * SAMPLE_MS,
                alarms: kinds(
                  inWindow(alarmsSent.filter((a) => a.bedId === r.bed.bed.id).map((a) => ({ ...a, ts: a.sentAt }))),
                ),
              });
              // No flag before the baseline has its nights.
              expect([latest.baseline.ready, i < WARM_UP ? latest.deviations : []]).toEqual([i >= WARM_UP, []]);
              r.summarised = nights;
            }
          }
        }),
      );

      // The weekly visit: planned two days ahead, overdue once due, each seen live when it happens.
      if (!policy.open) {
        const dueAt = policy.anchor + POLICY_DAYS * DAY;
        if (policy.count < 3 && end >= dueAt - 2 * DAY) {
          const e = await waitFor(() => planned('policy')[policy.count], {
            timeoutMs: 30_000,
            what: `policy visit ${policy.count + 1} planned`,
          });
          expect(e.visit.dueAt).toBe(dueAt);
          expect(e.at - (dueAt - 2 * DAY)).toBeGreaterThanOrEqual(0);
          expect(e.at - (dueAt - 2 * DAY)).toBeLessThan(STEP + SLACK);
          policy.open = e.visit;
          policy.count++;
        } else {
          // None planned early: the hub's clock may have run on past the step's end, up to the
          // instant the next one falls due, so "early" is before that instant, not this step.
          const early = planned('policy')
            .slice(policy.count)
            .filter((e) => policy.count >= 3 || e.at < dueAt - 2 * DAY);
          expect(early).toEqual([]);
        }
      } else {
        const v = policy.open;
        if (end > v.dueAt && !v.overdueSeen) {
          const e = await waitFor(
            () => visitEvents.find((x) => x.event === 'visit.overdue' && x.data.visit.id === v.id)?.data,
            { timeoutMs: 30_000, what: `policy visit ${policy.count} overdue` },
          );
          expect(e.at - v.dueAt).toBeGreaterThan(0);
          expect(e.at - v.dueAt).toBeLessThan(STEP + SLACK);
          v.overdueSeen = true;
        }
        // The first is visited a day late, the second a day early, the third not at all.
        if ((policy.count === 1 && end >= v.dueAt + DAY) || (policy.count === 2 && end >= v.dueAt - DAY)) {
          await visit(v);
          policy.open = null;
        }
      }

      // Visits for flagged nights are visited as soon as they are planned.
      for (const e of planned('deviation'))
        if (!handled.has(e.visit.id)) {
          handled.add(e.visit.id);
          // For a night of the resident's that was flagged.
          const r = residents.find((x) => x.bed.resident.id === e.visit.residentId)!;
          expect((await wellness(r)).find((n) => n.night === e.visit.sourceKey)?.deviations.length).toBeGreaterThan(0);
          await visit(e.visit);
        }
      const rest = MIN_STEP_REAL_MS - (Date.now() - stepStarted);
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    }
    const wallMs = Date.now() - wall;

    // --- Baselines and flags over the month (each night was checked as it was summarised).
    for (const r of residents) expect(r.summarised.map((n) => n.night)).toEqual(r.nights);
    const flags = (r: Resident) => r.summarised.map((n) => n.deviations.map((d: any) => d.code) as string[]);
    process.stdout.write(
      `four weeks on the hub clock: ${Math.round(wallMs / 100) / 10} s wall for ${NIGHTS} nights\n` +
        residents
          .map(
            (r) =>
              `  ${r.label} (${r.profile}) flagged: ${
                flags(r)
                  .flatMap((f, i) => (f.length ? [`${r.nights[i]} ${f.join('+')}`] : []))
                  .join(', ') || 'none'
              }`,
          )
          .join('\n') +
        '\n',
    );
    expect(flags(steady).flat()).toEqual([]);
    // Declining over the last third: its last night departs from its own baseline in both ways.
    expect(flags(declining)[NIGHTS - 1]).toEqual(expect.arrayContaining(['bed_exits_up', 'resting_heart_rate_up']));
    // Often away: after warm-up, each night away (an empty bed all night) is flagged as far less time in bed.
    const awayFlagged = flags(away).map((f) => f.includes('time_in_bed_down'));
    expect(awayFlagged).toEqual(away.away.map((a, i) => a && i >= WARM_UP && awayFlagged[i]));
    expect(away.away.filter((a, i) => a && i >= WARM_UP && !awayFlagged[i])).toEqual([]);
    const lastNight = FIRST_NIGHT.slice(0, 8) + '28';
    const deviations = await api.get(`/api/organisations/${org.id}/wellness/deviations?date=${lastNight}`);
    expect(deviations.body.residents.map((x: any) => x.residentId).sort()).toEqual(
      residents
        .filter((r) => flags(r)[NIGHTS - 1].length)
        .map((r) => r.bed.resident.id)
        .sort(),
    );

    // --- Alarms: the presses and the tamper sent here, and the one true offline spell.
    const alarms = (
      await Promise.all(
        residents.map(async (r) => (await api.get<any[]>(`/api/alarms?bedId=${r.bed.bed.id}&limit=500`)).body),
      )
    ).flat();
    const offline = alarms.filter((a) => a.kind === 'device_offline');
    expect(offline.map((a) => [a.bedId, a.details.deviceId])).toEqual([
      [away.bed.bed.id, away.bed.creds.button.deviceId],
    ]);
    // Raised at the silence limit after the button's last message, and cleared once it was back.
    expect(Date.parse(offline[0].startedAt) - SILENT_AFTER).toBeGreaterThanOrEqual(buttonLastSent.before);
    expect(Date.parse(offline[0].startedAt) - SILENT_AFTER).toBeLessThanOrEqual(buttonLastSent.after);
    expect(offline[0].cleared).toBe(true);
    expect(kinds(alarms)).toEqual({ ...kinds(alarmsSent), device_offline: 1 });

    // --- The month's report against the counts made here.
    const report = await api.get(`/api/organisations/${org.id}/supervision-report?month=${MONTH}&timeZone=${SH}`);
    expect(report.status).toBe(200);
    const r = report.body;
    expect([r.bedsInService, r.bedsInServiceAtEnd, r.devicesInService]).toEqual([3, 3, 9]);
    const bedDays = (edge: 'before' | 'after') => inService.reduce((sum, s) => sum + (MONTH_END - s[edge]) / DAY, 0);
    expect(r.bedDaysInService).toBeGreaterThanOrEqual(bedDays('after') - 1e-6);
    expect(r.bedDaysInService).toBeLessThanOrEqual(bedDays('before') + 1e-6);
    // Online rate: the share of each night's readings sent (216 every 5 minutes over 18:00-12:00).
    // The hub measures a silence from the reading before it to the one after, one interval more
    // than the readings missing (5 min of 18 h, 0.5 %) on the two unplugged nights, and rounds
    // each night to 0.1 %: within 0.5 % per bed and overall.
    const perNight = (x: Resident) => x.sentPerNight.map((n) => n / ((18 * HOUR) / SAMPLE_MS));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const x of residents) {
      const bed = r.onlineByBed.find((b: any) => b.bedId === x.bed.bed.id);
      expect(bed.nightsSummarised).toBe(NIGHTS);
      expect(Math.abs(bed.onlineRate - mean(perNight(x)))).toBeLessThanOrEqual(0.005);
    }
    expect(mean(perNight(steady))).toBeLessThan(0.995);
    expect(Math.abs(r.onlineRate - mean(residents.flatMap(perNight)))).toBeLessThanOrEqual(0.005);
    // Alarms by kind and outcome: the operator's outcomes here; the offline one as the hub closed it.
    const byKind = Object.fromEntries(
      r.alarms.byKind.map((k: any) => [k.kind, { total: k.total, byOutcome: k.byOutcome }]),
    );
    const outcomes = (kind: string) =>
      alarmsSent
        .filter((a) => a.kind === kind)
        .reduce<Record<string, number>>((m, a) => ({ ...m, [a.outcome!]: (m[a.outcome!] ?? 0) + 1 }), {});
    expect(byKind).toEqual({
      sos: { total: 3, byOutcome: outcomes('sos') },
      tamper: { total: 1, byOutcome: outcomes('tamper') },
      device_offline: { total: 1, byOutcome: { [offline[0].outcome ?? 'open']: 1 } },
    });
    expect(r.alarms.total).toBe(alarmsSent.length + 1);
    // Answered within a minute: the four the operator acknowledged at once, of all five.
    expect(alarmsSent.every((a) => a.ackAt! - a.sentAt < MIN)).toBe(true);
    expect(r.answer.acknowledged).toBe(alarmsSent.length);
    expect(r.answer.within60s).toBeCloseTo(alarmsSent.length / (alarmsSent.length + 1), 3);
    expect([r.dispatches.total, r.dispatches.byResponder]).toEqual([1, { community_worker: 1 }]);
    // Visits: done when checked in here in the month; overdue when due in the month and not
    // checked in by its due time (the first weekly visit, visited a day late, and the third).
    const inMonth = (t: number) => t >= MONTH_START && t < MONTH_END;
    const done = checkIns.filter((c) => inMonth(c.at));
    expect(done.filter((c) => c.source === 'policy')).toHaveLength(2);
    expect(done.filter((c) => c.source === 'deviation').length).toBeGreaterThan(0);
    expect(policy.open?.overdueSeen).toBe(true);
    const due = visitEvents
      .filter((e) => e.event === 'visit.planned' && inMonth(e.data.visit.dueAt))
      .map((e) => e.data.visit);
    const overdue = due.filter((v) => {
      const c = checkIns.find((x) => x.visitId === v.id);
      return !c || c.at > v.dueAt;
    }).length;
    expect(overdue).toBeGreaterThanOrEqual(2);
    expect([r.visits.dueInMonth, r.visits.done, r.visits.overdue, r.visits.notHome, r.visits.cancelled]).toEqual([
      due.length,
      done.length,
      overdue,
      0,
      0,
    ]);
    // Flagged live once each: the first and the third weekly visit, nothing else.
    const weekly = planned('policy').map((e) => e.visit.id as string);
    expect(visitEvents.filter((e) => e.event === 'visit.overdue').map((e) => e.data.visit.id)).toEqual([
      weekly[0],
      weekly[2],
    ]);
    expect((await api.get(`/api/visits?organisationId=${org.id}&overdue=true`)).body.map((v: any) => v.id)).toEqual([
      policy.open.id,
    ]);

    // The same figures as CSV.
    const csv = await fetch(
      `${hub.httpUrl}/api/organisations/${org.id}/supervision-report?month=${MONTH}&timeZone=${SH}&format=csv`,
      { headers: { authorization: hub.authHeader } },
    );
    expect(csv.status).toBe(200);
    const text = await csv.text();
    for (const line of [
      '在服务床位 beds in service,3',
      `告警总数 alarms,${alarmsSent.length + 1}`,
      `已应答 acknowledged,${alarmsSent.length}`,
      `已探访 visits done,${done.length}`,
      `逾期 overdue,${overdue}`,
      `设备在线率(%) device online rate,${Math.round(r.onlineRate * 10_000) / 100}`,
      ...residents.map((x) => `${x.label},${x.bed.bed.id},${NIGHTS},`),
    ])
      expect(text).toContain(line);
  }, 240_000);
});
