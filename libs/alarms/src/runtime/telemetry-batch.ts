import { inSlices } from '@bedside/common';
import type { TelemetryPoint } from '@bedside/telemetry';
import type { RuleInput } from '@bedside/rules';
import { inTimeOrder, telemetryInput } from './input-mapper';

/**
 * How long telemetry is gathered before it is evaluated: short against the holds of vital-sign
 * and presence rules (seconds), long enough for a busy hub to batch many evaluations.
 */
export const TELEMETRY_BATCH_MS = 50;
/** Telemetry evaluations per event-loop turn: a slice is short enough not to hold up a database reply. */
const EVALUATION_SLICE = 200;
/**
 * And at most this long: one evaluation may carry minutes of samples (an upload after an outage),
 * and 200 of those would keep an SOS unread (its socket, its database reply) for as long as they take.
 */
const EVALUATION_SLICE_MS = 5;

type Evaluate = (bedId: string, inputs: RuleInput[], now: number) => void;

/**
 * Telemetry is gathered for a short window and then evaluated bed after bed in one go:
 * evaluations run back to back find the engine's code and the shared rules in the CPU caches,
 * where one evaluation between every two MQTT packets found them evicted (A/B in bench/NOTES.md).
 * Each input keeps its arrival time as `now` (the hub clock: timers, silence, episodes' raise
 * instants); vital-sign holds read each sample's own `ts`, so an upload of two minutes of samples
 * is judged as if they had been streamed, and a device clock never moves the hub's timers.
 */
export class TelemetryBatch {
  private pending: { bedId: string; inputs: RuleInput[]; now: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Batches whose slices are still being evaluated (awaited by flush). */
  private evaluating: Promise<void> = Promise.resolve();

  /** `monotonicMs`: the clock that times a slice (CPU budget, not the hub's wall clock). */
  constructor(
    private readonly evaluate: Evaluate,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** Samples received at `now`, grouped per bed in time order. */
  add(received: readonly TelemetryPoint[], now: number): void {
    const points = inTimeOrder(received);
    if (points.length === 1) {
      // The usual message: one sample of one device.
      if (points[0].bedId) this.push(points[0].bedId, [telemetryInput(points[0])], now);
      return;
    }
    const byBed = new Map<string, RuleInput[]>();
    for (const p of points) {
      if (!p.bedId) continue;
      const list = byBed.get(p.bedId);
      if (list) list.push(telemetryInput(p));
      else byBed.set(p.bedId, [telemetryInput(p)]);
    }
    for (const [bedId, inputs] of byBed) this.push(bedId, inputs, now);
  }

  private push(bedId: string, inputs: RuleInput[], now: number): void {
    this.pending.push({ bedId, inputs, now });
    this.timer ??= setTimeout(() => void this.flush(), TELEMETRY_BATCH_MS);
  }

  /**
   * Evaluates what was gathered, in slices (inSlices) bounded by count and time: a batch gathered
   * while the loop was slow can hold thousands of inputs, and an SOS being read, or a database
   * reply it waits for, should not wait behind all of them. Resolves when every batch so far has been evaluated.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    // After the previous batch's last slice: a bed's samples are evaluated in arrival order.
    this.evaluating = this.evaluating.then(() =>
      inSlices(batch, (t) => this.evaluate(t.bedId, t.inputs, t.now), EVALUATION_SLICE, {
        ms: EVALUATION_SLICE_MS,
        now: this.monotonicMs,
      }),
    );
    return this.evaluating;
  }
}
