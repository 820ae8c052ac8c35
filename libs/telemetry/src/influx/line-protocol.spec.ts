import type { TelemetryPoint } from '../telemetry-point';
import { toLineProtocol, toLineProtocolWithPoint } from './line-protocol';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const AWKWARD = ['dev 1', 'a,b', 'k=v', '床位-01', 'x"y', "o'k", 'tab\\x', 'm\u00e9', '=', ' ', ',', 'plain-id'];
const NUMBERS = [0, -0, 1, 60, 61.5, -3.25, 1e-7, 1.5e21, 123456789.125, 99.99999999999999, 0.1 + 0.2, 2 ** 53 - 1];

describe('toLineProtocol', () => {
  it('gives exactly what the client Point gives, over random points', () => {
    const rnd = lcg(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const maybe = <T>(v: () => T): T | null | undefined => (rnd() < 0.4 ? v() : rnd() < 0.5 ? null : undefined);
    for (let i = 0; i < 5000; i++) {
      const p: TelemetryPoint = {
        deviceId: rnd() < 0.5 ? `dev-${i}` : pick(AWKWARD),
        bedId: rnd() < 0.1 ? null : rnd() < 0.1 ? '' : rnd() < 0.5 ? `bed-${i}` : pick(AWKWARD),
        kind: pick(['mattress', 'wearable', 'button'] as const),
        seq: Math.floor(rnd() * 2 ** 32),
        ts: 1_700_000_000_000 + Math.floor(rnd() * 1e9),
        heartRate: maybe(() => pick(NUMBERS)),
        respirationRate: maybe(() => rnd() * 40),
        movement: maybe(() => pick(NUMBERS)),
        signalQuality: maybe(() => Math.round(rnd() * 100)),
        spo2: maybe(() => 80 + rnd() * 20),
        steps: maybe(() => Math.floor(rnd() * 1e6)),
        battery: maybe(() => pick(NUMBERS)),
        inBed: maybe(() => rnd() < 0.5),
        worn: maybe(() => rnd() < 0.5),
      };
      expect([i, toLineProtocol(p)]).toEqual([i, toLineProtocolWithPoint(p)]);
      expect([i, toLineProtocol(p, 'tele metry,x')]).toEqual([i, toLineProtocolWithPoint(p, 'tele metry,x')]);
    }
  });

  it.each([
    ['a bad timestamp', { ts: 1.5 }],
    ['a trailing backslash in the device id', { deviceId: 'dev\\' }],
    ['a control character in the bed id', { bedId: 'bed\n1' }],
    ['a non-finite value', { heartRate: Number.NaN }],
    ['an integer out of range', { steps: 2 ** 64 }],
    ['a missing seq', { seq: undefined }],
  ])('reports %s like the Point path', (_what, change) => {
    const p = {
      deviceId: 'd1',
      bedId: 'b1',
      kind: 'mattress',
      seq: 1,
      ts: 1_700_000_000_000,
      heartRate: 60,
      ...change,
    } as TelemetryPoint;
    const reference = toLineProtocolWithPoint(p);
    expect(reference).toHaveProperty('error');
    expect(toLineProtocol(p)).toEqual(reference);
  });
});
