import { Clock } from '@bedside/common';
import type { TelemetryPoint } from '@bedside/telemetry';
import { nightWindow } from '../domain/night-window';
import type { BedNightSourceRepository } from '../persistence/bed-night-source.repository';
import { atNight } from '../testing/night-fixture';
import { LateDataTracker } from './late-data.tracker';
import { WellnessConfig } from './wellness.config';

class FakeClock extends Clock {
  constructor(public t: number) {
    super();
  }
  now(): number {
    return this.t;
  }
}

const GRACE = 30 * 60_000;
const zones = new Map([
  ['bed-berlin', 'Europe/Berlin'],
  ['bed-shanghai', 'Asia/Shanghai'],
]);

function tracker(
  now: number,
  lookup: (ids: readonly string[]) => Promise<Map<string, string>> = async (ids) =>
    new Map(ids.filter((id) => zones.has(id)).map((id) => [id, zones.get(id)!])),
) {
  const source = { zonesOf: lookup } as unknown as BedNightSourceRepository;
  return new LateDataTracker(source, new WellnessConfig(60_000, GRACE, 7), new FakeClock(now));
}
const point = (bedId: string | null, ts: number): TelemetryPoint => ({
  deviceId: 'd',
  bedId,
  kind: 'mattress',
  seq: 1,
  ts,
  inBed: true,
});

describe('LateDataTracker', () => {
  it('turns late samples into the ended nights of their bed’s zone, once each, including a DST night', async () => {
    const now = nightWindow('2026-10-30', 'Europe/Berlin').end + GRACE;
    const t = tracker(now);
    // 02:30 happens twice on the night the Berlin clocks go back: both instants are that night.
    t.note([
      point('bed-berlin', Date.parse('2026-10-25T02:30:00+02:00')),
      point('bed-berlin', Date.parse('2026-10-25T02:30:00+01:00')),
    ]);
    t.note([
      point('bed-shanghai', atNight('2026-10-28', '23:00', 'Asia/Shanghai')),
      point('bed-shanghai', atNight('2026-10-28', '03:00', 'Asia/Shanghai')),
    ]);
    const requests = await t.drain(now);
    expect(requests.map((r) => `${r.bedId} ${r.night} ${r.reason}`).sort()).toEqual([
      'bed-berlin 2026-10-24 late_data',
      'bed-shanghai 2026-10-28 late_data',
    ]);
    expect(await t.drain(now)).toEqual([]);
  });

  it('leaves out live samples, daytime samples, nights not ended, unknown beds and very old nights', async () => {
    const now = nightWindow('2026-10-30', 'Asia/Shanghai').end + GRACE - 1;
    const t = tracker(now);
    t.note([
      point('bed-shanghai', now - 1000),
      point('bed-shanghai', atNight('2026-10-29', '15:00', 'Asia/Shanghai')),
      point('bed-shanghai', atNight('2026-10-30', '23:00', 'Asia/Shanghai')),
      point(null, atNight('2026-10-20', '23:00', 'Asia/Shanghai')),
      point('bed-gone', atNight('2026-10-20', '23:00', 'Asia/Shanghai')),
      point('bed-shanghai', atNight('2026-06-01', '23:00', 'Asia/Shanghai')),
    ]);
    expect(await t.drain(now)).toEqual([]);
  });

  it('keeps what it noted when the zones cannot be read, and requests that were not stored', async () => {
    const now = nightWindow('2026-10-30', 'Asia/Shanghai').end + GRACE;
    let fail = true;
    const t = tracker(now, async (ids) => {
      if (fail) throw new Error('database away');
      return new Map(ids.map((id) => [id, zones.get(id)!]));
    });
    t.note([point('bed-shanghai', atNight('2026-10-27', '23:00', 'Asia/Shanghai'))]);
    await expect(t.drain(now)).rejects.toThrow('database away');
    fail = false;
    const requests = await t.drain(now);
    expect(requests.map((r) => r.night)).toEqual(['2026-10-27']);
    t.retry(requests);
    expect((await t.drain(now)).map((r) => r.night)).toEqual(['2026-10-27']);
  });
});
