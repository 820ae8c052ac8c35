import { atNight, syntheticNight } from '../testing/night-fixture';
import type { NightAlarm, WellnessSample } from './night-summary';
import { nightWindow } from './night-window';
import { summariseNight } from './summarise-night';

const MIN = 60_000;
const H = 60 * MIN;

describe('summariseNight', () => {
  describe.each([
    // [zone, night, window hours] — DST nights in Berlin and New York, none in Shanghai.
    ['Asia/Shanghai', '2026-03-28', 18],
    ['Europe/Berlin', '2026-03-28', 17],
    ['Europe/Berlin', '2026-10-24', 19],
    ['America/New_York', '2026-03-07', 17],
    ['America/New_York', '2026-10-31', 19],
  ])('in %s, night of %s', (timeZone, night, hours) => {
    // In bed 22:00-07:00 local, up at 01:00 for 20 minutes: the elapsed time in bed is 9 h less the
    // absence, plus or minus the hour the clocks moved between 02:00 and 03:00.
    const shift = hours - 18;
    const samples = syntheticNight({ night, timeZone, absences: [{ at: '01:00', minutes: 20 }] });
    const s = summariseNight(samples, [], { night, timeZone });

    it('covers the local window, whatever its length', () => {
      expect(s.window.durationMs).toBe(hours * H);
      expect(s.samples.mattress).toBe(hours * 60);
      expect(s.presence.timeInBedMs + s.presence.timeOutOfBedMs + s.presence.unknownMs).toBe(hours * H);
    });

    it('counts elapsed time in bed, not wall-clock time', () => {
      expect(s.presence.timeInBedMs).toBe((9 + shift) * H - 20 * MIN);
      expect(s.presence.firstInBedAt).toBe(atNight(night, '22:00', timeZone));
      expect(s.presence.finalRiseAt).toBe(atNight(night, '07:00', timeZone));
    });

    it('finds the one night-time exit and its length; getting up in the morning is not one', () => {
      expect(s.bedExits).toEqual({
        count: 1,
        totalMs: 20 * MIN,
        longestMs: 20 * MIN,
        absences: [
          {
            start: atNight(night, '01:00', timeZone),
            end: atNight(night, '01:20', timeZone),
            durationMs: 20 * MIN,
            returned: true,
          },
        ],
      });
    });

    it('sees no gaps in a device that reported all night', () => {
      expect(s.devices).toEqual([
        expect.objectContaining({
          deviceId: 'mattress-1',
          kind: 'mattress',
          usualIntervalMs: MIN,
          uptime: 1,
          gapCount: 0,
          coveredMs: hours * H,
        }),
      ]);
    });
  });

  it('an absence across midnight is one exit, labelled by the night it began in', () => {
    const timeZone = 'Asia/Shanghai';
    const night = '2026-12-31';
    const s = summariseNight(syntheticNight({ night, timeZone, absences: [{ at: '23:50', minutes: 25 }] }), [], {
      night,
      timeZone,
    });
    expect(s.bedExits.count).toBe(1);
    expect(s.bedExits.absences[0]).toEqual({
      start: Date.parse('2026-12-31T23:50:00+08:00'),
      end: Date.parse('2027-01-01T00:15:00+08:00'),
      durationMs: 25 * MIN,
      returned: true,
    });
  });

  it('ignores flicker shorter than a minute and absences outside the core night hours', () => {
    const timeZone = 'Europe/Berlin';
    const night = '2026-06-01';
    const samples = syntheticNight({
      night,
      timeZone,
      intervalMs: 30_000,
      bedtime: '21:00',
      absences: [
        { at: '21:30', minutes: 10 },
        { at: '02:00', minutes: 0.5 },
        { at: '05:50', minutes: 15 },
      ],
    });
    const s = summariseNight(samples, [], { night, timeZone });
    // 21:30 is before the core hours (22-06); 02:00 lasted 30 s; 05:50 counts.
    expect(s.bedExits.count).toBe(1);
    expect(s.bedExits.absences[0].start).toBe(atNight(night, '05:50', timeZone));
    expect(s.presence.timeInBedMs).toBe(10 * H - 10 * MIN - 30_000 - 15 * MIN);
  });

  it('an exit not followed by a return before the readings stop is open', () => {
    const timeZone = 'Asia/Shanghai';
    const night = '2026-05-01';
    const samples = syntheticNight({ night, timeZone, rise: '04:00' });
    const s = summariseNight(samples, [], { night, timeZone });
    expect(s.bedExits.absences).toEqual([
      {
        start: atNight(night, '04:00', timeZone),
        end: nightWindow(night, timeZone).end,
        durationMs: 8 * H,
        returned: false,
      },
    ]);
    expect(s.bedExits.longestMs).toBe(8 * H);
  });

  it('gives the same answer for samples in any order, delivered twice, or with late additions', () => {
    const timeZone = 'America/New_York';
    const night = '2026-10-31';
    const all = syntheticNight({
      night,
      timeZone,
      absences: [{ at: '03:10', minutes: 12 }],
      wearable: { deviceId: 'watch-1', from: '22:30', to: '06:00', spo2: 96 },
    });
    const reference = summariseNight(all, [], { night, timeZone });

    const shuffled = [...all].sort((a, b) => ((a.ts * 7919) % 1000) - ((b.ts * 7919) % 1000));
    const twice = summariseNight([...shuffled, ...all.slice(0, 100)], [], { night, timeZone });
    expect({ ...twice, samples: { ...twice.samples, duplicates: 0 } }).toEqual(reference);
    expect(twice.samples.duplicates).toBe(100);

    // A redelivery with other values does not change the stored first sample: the first wins.
    const conflicting = summariseNight([...all, { ...all[0], inBed: true, heartRate: 200 }], [], { night, timeZone });
    expect(conflicting.heartRate).toEqual(reference.heartRate);

    // Late data: what was summarised before the buffered half arrived, then everything.
    const early = all.filter((p) => p.ts < atNight(night, '02:00', timeZone));
    const partial = summariseNight(early, [], { night, timeZone });
    expect(partial.devices[0].gapCount).toBe(1);
    expect(
      summariseNight([...early, ...all.filter((p) => p.ts >= atNight(night, '02:00', timeZone))], [], {
        night,
        timeZone,
      }),
    ).toEqual(reference);
  });

  it('ignores samples outside the window (the day before and after)', () => {
    const timeZone = 'Asia/Shanghai';
    const night = '2026-05-01';
    const samples = syntheticNight({ night, timeZone });
    const w = nightWindow(night, timeZone);
    const stray: WellnessSample[] = [
      { deviceId: 'mattress-1', kind: 'mattress', ts: w.start - 1, inBed: true, heartRate: 150 },
      { deviceId: 'mattress-1', kind: 'mattress', ts: w.end, inBed: true, heartRate: 150 },
    ];
    expect(summariseNight([...samples, ...stray], [], { night, timeZone })).toEqual(
      summariseNight(samples, [], { night, timeZone }),
    );
  });

  it('reports gaps as silences longer than twice the usual interval, and time with no reading as unknown', () => {
    const timeZone = 'Europe/Berlin';
    const night = '2026-06-01';
    const samples = syntheticNight({
      night,
      timeZone,
      silences: [
        { at: '02:00', minutes: 30 },
        { at: '04:00', minutes: 1 },
      ],
    });
    const s = summariseNight(samples, [], { night, timeZone });
    const mattress = s.devices[0];
    // 30 missing samples: silence from the last sample before (01:59) to the first after (02:30).
    expect(mattress.gapCount).toBe(1);
    expect(mattress.gaps).toEqual([{ from: atNight(night, '01:59', timeZone), to: atNight(night, '02:30', timeZone) }]);
    expect(mattress.longestGapMs).toBe(31 * MIN);
    expect(mattress.uptime).toBeCloseTo(1 - 31 / (18 * 60), 3);
    // The reading before a gap holds for one interval; the rest is unknown, not time in bed.
    expect(s.presence.unknownMs).toBe(30 * MIN);
    expect(s.presence.timeInBedMs).toBe(9 * H - 30 * MIN);
  });

  it('shows a bound device that sent nothing as a whole-night gap, and a silent mattress as no data', () => {
    const timeZone = 'Asia/Shanghai';
    const night = '2026-05-01';
    const s = summariseNight([], [], {
      night,
      timeZone,
      devices: [
        { deviceId: 'm', kind: 'mattress' },
        { deviceId: 'b', kind: 'button' },
      ],
    });
    expect(s.hasData).toBe(false);
    expect(s.devices).toEqual([
      expect.objectContaining({
        deviceId: 'm',
        samples: 0,
        usualIntervalMs: null,
        uptime: 0,
        gapCount: 1,
        gapTotalMs: 18 * H,
      }),
    ]);
    expect(s.presence).toEqual({
      timeInBedMs: 0,
      timeOutOfBedMs: 0,
      unknownMs: 18 * H,
      firstInBedAt: null,
      finalRiseAt: null,
    });
    expect(s.heartRate).toBeNull();
    expect(s.bedExits.count).toBe(0);
  });

  it('takes sleep-period vital signs from in-bed readings with good signal, without zeros', () => {
    const timeZone = 'Asia/Shanghai';
    const night = '2026-05-01';
    const t = atNight(night, '23:00', timeZone);
    const m = (i: number, extra: Partial<WellnessSample>): WellnessSample => ({
      deviceId: 'm',
      kind: 'mattress',
      ts: t + i * MIN,
      inBed: true,
      signalQuality: 90,
      ...extra,
    });
    const samples = [
      ...Array.from({ length: 21 }, (_, i) => m(i, { heartRate: 50 + i, respirationRate: 12 })),
      m(30, { heartRate: 140, signalQuality: 20 }), // poor signal
      m(31, { heartRate: 0, respirationRate: 0 }), // nothing detected
      m(32, { heartRate: 150, inBed: false }), // out of bed
      m(33, { heartRate: 60 }), // no signal quality reported: counted
    ];
    const s = summariseNight(samples, [], { night, timeZone });
    // 22 values 50..70 plus a second 60; percentiles interpolate between ranks (type 7).
    expect(s.heartRate).toEqual({ median: 60, p5: 51.1, p95: 69, min: 50, max: 70, count: 22 });
    expect(s.respirationRate).toEqual({ median: 12, p5: 12, p95: 12, min: 12, max: 12, count: 21 });
  });

  it('summarises SpO2 and worn time of the wearable and movement in bed', () => {
    const timeZone = 'Europe/Berlin';
    const night = '2026-10-24';
    const s = summariseNight(
      syntheticNight({ night, timeZone, wearable: { deviceId: 'w', from: '23:00', to: '06:00', spo2: 95 } }),
      [],
      { night, timeZone },
    );
    // 23:00-06:00 on the night the clocks go back is 8 elapsed hours.
    expect(s.wearable).toEqual({ wornMs: 8 * H });
    expect(s.spo2).toEqual(expect.objectContaining({ median: 95, min: 95, max: 96, count: 8 * 60 }));
    expect(s.movement.meanInBed).toBeGreaterThan(3);
    // One minute in thirty is restless.
    expect(s.movement.restlessMs).toBe(20 * MIN);
    expect(s.devices.map((d) => d.deviceId)).toEqual(['mattress-1', 'w']);
  });

  it('lists the alarms raised during the night, not suppressed ones or those of the day', () => {
    const timeZone = 'Asia/Shanghai';
    const night = '2026-05-01';
    const w = nightWindow(night, timeZone);
    const alarm = (id: string, startedAt: number, extra: Partial<NightAlarm> = {}): NightAlarm => ({
      id,
      kind: 'bed_exit',
      severity: 'major',
      startedAt,
      suppressed: false,
      ...extra,
    });
    const s = summariseNight(
      [],
      [
        alarm('a', w.start + H),
        alarm('b', w.start - 1),
        alarm('c', w.end),
        alarm('d', w.start + 2 * H, { suppressed: true }),
        alarm('e', w.start + 3 * H, { kind: 'heart_rate' }),
      ],
      { night, timeZone },
    );
    expect(s.alarms).toEqual({
      count: 2,
      byKind: { bed_exit: 1, heart_rate: 1 },
      items: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'e' })],
    });
  });
});
