import { toLocal, toLocalUncached, zoneOffsetMs } from './zoned-time';

// Zones with the awkward cases: half-hour DST (Lord Howe), quarter-hour offsets (Kathmandu,
// Chatham), negative DST (Dublin), Ramadan suspensions (Casablanca), no DST (Shanghai).
const ZONES = [
  'Asia/Shanghai',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
  'Africa/Casablanca',
  'Europe/Dublin',
  'America/Sao_Paulo',
];
const FROM = Date.UTC(2023, 0, 1);
const TO = Date.UTC(2027, 0, 1);
const HOUR = 3_600_000;

/** A small deterministic PRNG so a failure names a reproducible instant. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('cached zone offsets agree with ICU', () => {
  it.each(ZONES)('%s at random instants', (zone) => {
    const rnd = lcg(zone.length * 7919);
    for (let i = 0; i < 3000; i++) {
      const t = Math.floor(FROM + rnd() * (TO - FROM));
      const cached = toLocal(t, zone);
      const icu = toLocalUncached(t, zone);
      // expect() only on a mismatch: 3,000 matcher calls would dominate the run time.
      if (JSON.stringify(cached) !== JSON.stringify(icu)) expect([t, cached]).toEqual([t, icu]);
    }
  });

  it.each(ZONES)('%s around every transition, to the second', (zone) => {
    const offset = (t: number) => {
      const l = toLocalUncached(t, zone);
      return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - t;
    };
    let transitions = 0;
    // Offsets change at most once a day (Casablanca's Ramadan suspensions are weeks apart), so a
    // daily scan finds every transition and an hourly one inside that day places it.
    for (let d = FROM, before = offset(d); d < TO; d += 24 * HOUR) {
      if (offset(d + 24 * HOUR) === before) continue;
      let h = d;
      while (offset(h + HOUR) === before) h += HOUR;
      before = offset(h + HOUR);
      transitions++;
      // The transition lies in (h, h + HOUR]: check both sides of it every half minute.
      for (let t = h - 60_000; t <= h + HOUR + 60_000; t += 29_999) {
        expect([t, toLocal(t, zone)]).toEqual([t, toLocalUncached(t, zone)]);
      }
    }
    if (!['Asia/Shanghai', 'Asia/Kathmandu', 'America/Sao_Paulo'].includes(zone))
      expect(transitions).toBeGreaterThan(0);
  });

  it('offsets in whole and partial hours', () => {
    expect(zoneOffsetMs(Date.UTC(2025, 0, 15), 'Asia/Kathmandu')).toBe((5 * 60 + 45) * 60_000);
    expect(zoneOffsetMs(Date.UTC(2025, 0, 15), 'Pacific/Chatham')).toBe((13 * 60 + 45) * 60_000);
    expect(zoneOffsetMs(Date.UTC(1900, 0, 15), 'Asia/Shanghai')).toBe((8 * 60 + 5) * 60_000 + 43_000); // LMT +08:05:43
  });
});
