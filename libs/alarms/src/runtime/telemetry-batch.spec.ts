import type { TelemetryPoint } from '@bedside/telemetry';
import type { RuleInput } from '@bedside/rules';
import { TelemetryBatch } from './telemetry-batch';

const point = (deviceId: string, bedId: string | null, ts: number): TelemetryPoint => ({
  deviceId,
  bedId,
  kind: 'mattress',
  seq: ts,
  ts,
  heartRate: 60,
});

describe('TelemetryBatch', () => {
  const evaluated: { bedId: string; ts: number[]; now: number }[] = [];
  const batch = new TelemetryBatch((bedId: string, inputs: RuleInput[], now: number) =>
    evaluated.push({ bedId, ts: inputs.map((i) => (i as { ts: number }).ts), now }),
  );
  beforeEach(() => (evaluated.length = 0));

  it('evaluates nothing until flushed, then each bed once per message in time order, bedless samples dropped', async () => {
    batch.add([point('m1', 'bed-1', 3), point('m2', 'bed-2', 1), point('m1', 'bed-1', 2), point('x', null, 1)], 100);
    batch.add([point('m1', 'bed-1', 4)], 200);
    expect(evaluated).toEqual([]);
    await batch.flush();
    expect(evaluated).toEqual([
      { bedId: 'bed-2', ts: [1], now: 100 },
      { bedId: 'bed-1', ts: [2, 3], now: 100 },
      { bedId: 'bed-1', ts: [4], now: 200 },
    ]);
  });

  it('lets other work in between evaluations that take long (a slice ends after its time budget, not only its count)', async () => {
    let clock = 0;
    const order: string[] = [];
    const heavy = new TelemetryBatch(
      (bedId) => {
        order.push(bedId);
        clock += 4; // an evaluation of minutes of samples
      },
      () => clock,
    );
    for (let b = 0; b < 10; b++) heavy.add([point(`m${b}`, `bed-${b}`, 1)], 100);
    const done = heavy.flush();
    // What an SOS needs (its read, its database reply) runs on the next turns of the event loop.
    setImmediate(() => order.push('sos'));
    await done;
    expect(order.indexOf('sos')).toBeGreaterThan(0);
    expect(order.indexOf('sos')).toBeLessThanOrEqual(2);
    expect(order.filter((x) => x !== 'sos')).toHaveLength(10);
  });

  it('flushes by itself after its window', async () => {
    batch.add([point('m1', 'bed-1', 5)], 300);
    await new Promise((r) => setTimeout(r, 200));
    expect(evaluated).toEqual([{ bedId: 'bed-1', ts: [5], now: 300 }]);
    await batch.flush(); // nothing left
    expect(evaluated).toHaveLength(1);
  });
});
