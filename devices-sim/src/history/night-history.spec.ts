import { nightSamples, planNights } from './night-history';

const TZ = 'Asia/Shanghai';
const plan = (profile: 'steady' | 'deteriorating' | 'often_away', seed = 7) =>
  planNights({ seed, profile, first: '2026-10-01', count: 28, timeZone: TZ });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('multi-week night history', () => {
  it('is reproducible from the seed and differs between seeds', () => {
    expect(plan('steady')).toEqual(plan('steady'));
    expect(plan('steady', 8)).not.toEqual(plan('steady'));
    expect(plan('steady').map((p) => p.night)).toEqual(
      Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10)),
    );
  });

  it('varies from night to night around the resident’s usual night', () => {
    const nights = plan('steady');
    const bedtimes = nights.map((p) => (p.bedtime - Date.parse(`${p.night}T10:00:00Z`)) / 3_600_000);
    expect(new Set(nights.map((p) => p.heartRate)).size).toBeGreaterThan(2);
    expect(Math.max(...bedtimes) - Math.min(...bedtimes)).toBeGreaterThan(0.3);
    expect(Math.max(...bedtimes) - Math.min(...bedtimes)).toBeLessThan(3);
    expect(nights.every((p) => !p.away)).toBe(true);
  });

  it('a deteriorating resident gets up more and has a higher resting heart rate in the last third', () => {
    const nights = plan('deteriorating');
    const early = nights.slice(0, 14);
    const late = nights.slice(-5);
    expect(mean(late.map((p) => p.absences.length))).toBeGreaterThan(mean(early.map((p) => p.absences.length)) + 2);
    expect(mean(late.map((p) => p.heartRate))).toBeGreaterThan(mean(early.map((p) => p.heartRate)) + 6);
  });

  it('an often-away resident is away on some nights and the mattress then reports an empty bed', () => {
    const nights = plan('often_away', 3);
    const away = nights.filter((p) => p.away);
    expect(away.length).toBeGreaterThanOrEqual(4);
    expect(away.length).toBeLessThanOrEqual(16);
    const { mattress, wearable } = nightSamples(away[0], TZ);
    expect(mattress).toHaveLength(216); // 18 h every 5 minutes
    expect(mattress.every((s) => s.inBed === false)).toBe(true);
    expect(wearable.every((s) => s.worn === false)).toBe(true);
  });

  it('samples a night in bed between bedtime and rise, out of bed during each absence', () => {
    const p = plan('steady')[3];
    const { mattress } = nightSamples(p, TZ);
    for (const s of mattress) {
      const out = p.absences.some((a) => s.ts! >= a.at && s.ts! < a.at + a.ms);
      expect(s.inBed).toBe(s.ts! >= p.bedtime && s.ts! < p.rise && !out);
      if (s.inBed) expect(s.heartRate).toBeGreaterThan(40);
    }
  });
});
