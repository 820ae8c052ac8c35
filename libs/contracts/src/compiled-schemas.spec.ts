import {
  ButtonTelemetryDto,
  DeviceEventDto,
  DeviceStatusDto,
  MattressTelemetryDto,
  WearableTelemetryDto,
} from './index';
import { compiledValidator } from './compiled-schemas';
import { validateWithClassValidator } from './validate';

/**
 * The compiled fast path must never accept what class-validator rejects (it would let bad data
 * in unexplained); rejecting more is only slower. Checked on hand-picked edge cases and on
 * thousands of seeded random mutations of valid messages.
 */
const ts = Date.UTC(2026, 10, 22);
const valid: [new () => object, Record<string, unknown>][] = [
  [
    MattressTelemetryDto,
    {
      ts,
      seq: 5,
      samples: [{ inBed: true, heartRate: 61.5, respirationRate: 14, movement: 0, signalQuality: 97, ts }],
    },
  ],
  [MattressTelemetryDto, { ts, seq: 0, samples: [{ inBed: false, heartRate: null, respirationRate: null }] }],
  [WearableTelemetryDto, { ts, seq: 9, samples: [{ heartRate: 80, spo2: 95, steps: 10, worn: true, battery: 40 }] }],
  [WearableTelemetryDto, { ts, seq: 10, samples: [{ ts, spo2: 95, movement: 35.5, signalQuality: 60 }] }],
  [ButtonTelemetryDto, { ts, seq: 1, samples: [{ battery: 100 }] }],
  [DeviceEventDto, { eventId: 'a-1:2.3', type: 'fall.detected', ts, confidence: 0.5, seq: 3 }],
  [DeviceStatusDto, { state: 'online', ts, firmware: '1.2.3', battery: 10, rssi: -90 }],
  [DeviceStatusDto, { state: 'offline' }],
];

// mulberry32: a small seeded PRNG so failures reproduce.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ODD_VALUES: unknown[] = [
  null,
  undefined,
  '',
  '1',
  'x'.repeat(70),
  -1,
  0,
  0.5,
  1.5,
  1e20,
  -1e20,
  251,
  101,
  49,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  [],
  {},
  [1],
  { a: 1 },
  'online',
  'tamper',
  'button.pressed',
  ts,
  ts - 1e13,
  'a b',
  'ok_id',
];

function mutate(value: unknown, r: () => number): unknown {
  if (Array.isArray(value)) {
    const copy = value.map((v) => mutate(v, r));
    if (r() < 0.1) copy.push(copy[0]);
    if (r() < 0.05) copy.length = 0;
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const k = keys[Math.floor(r() * keys.length)];
    const roll = r();
    if (roll < 0.4) copy[k] = ODD_VALUES[Math.floor(r() * ODD_VALUES.length)];
    else if (roll < 0.5) delete copy[k];
    else if (roll < 0.55) copy.unknownField = 1;
    else copy[k] = mutate(copy[k], r);
    return copy;
  }
  return r() < 0.3 ? ODD_VALUES[Math.floor(r() * ODD_VALUES.length)] : value;
}

describe('compiled validators agree with class-validator', () => {
  it.each(valid.map(([cls, body]) => [cls.name, cls, body] as const))(
    '%s: a valid message passes both',
    (_n, cls, body) => {
      expect(compiledValidator(cls.name)?.(body)).toBe(true);
      expect(validateWithClassValidator(cls, body).ok).toBe(true);
    },
  );

  it('never accepts a mutated message that class-validator rejects', () => {
    const r = rng(42);
    let rejected = 0;
    for (let i = 0; i < 5000; i++) {
      const [cls, body] = valid[i % valid.length];
      const m = JSON.parse(JSON.stringify(mutate(body, r)) ?? 'null');
      if (typeof m !== 'object' || m === null || Array.isArray(m)) continue;
      const fast = compiledValidator(cls.name)!(m);
      const reference = validateWithClassValidator(cls, m).ok;
      if (fast && !reference)
        throw new Error(`fast path accepted what class-validator rejects: ${cls.name} ${JSON.stringify(m)}`);
      if (!reference) rejected++;
    }
    expect(rejected).toBeGreaterThan(1000); // the mutations really exercise the rejecting side
  });
});
