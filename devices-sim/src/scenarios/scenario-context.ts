import type { DeviceKind, EventType } from '@bedside/contracts';
import { fmtMs, type Output } from '../cli/output';
import type { AnySample, SignalModel } from '../models/model.types';
import type { DeviceClient } from '../mqtt/device-client';
import { sleep } from '../util/sleep';

export type SampleOverride = (sample: AnySample) => AnySample;

/** What a scenario script can do: timed phases of 1 Hz telemetry, events, raw publishes. */
export class ScenarioContext {
  readonly sent: Record<string, unknown>[] = [];

  constructor(
    readonly devices: Partial<Record<DeviceKind, DeviceClient>>,
    private readonly models: Partial<Record<DeviceKind, SignalModel>>,
    readonly timeScale: number,
    /** Aborted once the awaited alarm has arrived: open-ended phases stop early. */
    readonly done: AbortSignal,
    private readonly out: Output,
  ) {}

  device(kind: DeviceKind): DeviceClient {
    const d = this.devices[kind];
    if (!d) throw new Error(`scenario has no ${kind} connected`);
    return d;
  }

  log(text: string, record: Record<string, unknown> = {}): void {
    const t = new Date().toISOString().slice(11, 19);
    this.out.line(`${this.out.paint('dim', t)} ${text}`);
    this.out.record({ type: 'sent', at: Date.now(), text, ...record });
    this.sent.push({ at: Date.now(), text, ...record });
  }

  /**
   * Streams 1 Hz telemetry from `kinds` for a phase. `hold` phases are paced by the hub's rule
   * timers and run in real time; others are divided by --time-scale. `untilDone` ends the
   * phase as soon as the awaited alarm arrives.
   */
  async phase(
    label: string,
    ms: number,
    o: {
      kinds: DeviceKind[];
      hold: boolean;
      override?: Partial<Record<DeviceKind, SampleOverride>>;
      untilDone?: boolean;
    },
  ): Promise<void> {
    const real = o.hold ? ms : ms / this.timeScale;
    this.log(
      `phase: ${label} (${fmtMs(real)}${o.hold ? ', real time: hub rule timer' : this.timeScale !== 1 ? `, x${this.timeScale}` : ''})`,
      { phase: label, durationMs: Math.round(real) },
    );
    const end = Date.now() + real;
    let first = true;
    while (Date.now() < end && !(o.untilDone && this.done.aborted)) {
      for (const kind of o.kinds) {
        const now = Date.now();
        const base = this.models[kind]!.next(now).sample;
        const sample = o.override?.[kind]?.(base) ?? base;
        const { seq } = await this.device(kind).publishTelemetry([sample], 1, now);
        if (first)
          this.log(`  ${kind} telemetry seq ${seq}: ${JSON.stringify(sample)} (then every 1 s)`, { kind, seq, sample });
      }
      first = false;
      await sleep(Math.min(1000, end - Date.now()), o.untilDone ? this.done : undefined);
    }
  }

  async event(kind: DeviceKind, type: EventType, extra: { confidence?: number } = {}): Promise<string> {
    const { eventId } = await this.device(kind).publishEvent(type, extra);
    this.log(
      `${kind} event ${type}${extra.confidence !== undefined ? ` (confidence ${extra.confidence})` : ''} id ${eventId} (QoS 1, PUBACKed)`,
      { kind, event: type, eventId },
    );
    return eventId;
  }

  async wait(label: string, ms: number, hold: boolean): Promise<void> {
    const real = hold ? ms : ms / this.timeScale;
    this.log(`wait: ${label} (${fmtMs(real)})`);
    await sleep(real, this.done);
  }
}
