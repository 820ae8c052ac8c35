import type { SimDevice } from '../fleet/connect-devices';
import type { AlarmStream, RaisedAlarm } from '../hub/alarm-stream';
import { sleep } from '../util/sleep';
import { LatencyHistogram, type Percentiles } from './latency-histogram';

export interface SosResult {
  presses: number;
  acked: number;
  matched: number;
  missed: number;
  /** device event publish -> `alarm.raised` for the bed on the SSE stream */
  latencyMs: Percentiles;
  /** publish -> PUBACK of the QoS 1 event */
  pubackMs: Percentiles;
}

/**
 * Call-button presses during a load window: `presses` SOS events spread evenly over `windowMs`,
 * each from the next button in `buttons` (a distinct bed per press, starting at `offset`), and
 * the time until the hub's alarm stream announces the bed's `sos` alarm.
 */
export class SosProbe {
  private readonly waiting = new Map<string, { at: number; resolve: () => void }>();
  private next: number;

  constructor(
    private readonly stream: AlarmStream,
    private readonly buttons: SimDevice[],
    offset = 0,
  ) {
    this.next = offset;
    stream.onAlarm((raw) => this.onAlarm(raw));
  }

  async run(presses: number, windowMs: number, timeoutMs: number): Promise<SosResult> {
    const latency = new LatencyHistogram();
    const puback = new LatencyHistogram();
    let acked = 0;
    let matched = 0;
    const done: Promise<void>[] = [];
    this.windowHistogram = latency;
    const t0 = performance.now();
    for (let k = 0; k < presses && this.buttons.length > 0; k++) {
      const due = t0 + ((k + 0.5) * windowMs) / presses;
      if (due > performance.now()) await sleep(due - performance.now());
      const d = this.buttons[this.next++ % this.buttons.length];
      const bedId = d.bed.bedId ?? d.client.deviceId;
      const at = performance.now();
      const raised = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting.delete(bedId);
          resolve(false);
        }, timeoutMs);
        this.waiting.set(bedId, { at, resolve: () => (clearTimeout(timer), resolve(true)) });
      }).then((ok) => {
        if (ok) matched++;
      });
      const ack = d.client.publishEvent('button.pressed').then(
        () => {
          acked++;
          puback.recordMs(performance.now() - at);
        },
        () => undefined,
      );
      done.push(raised, ack);
    }
    await Promise.all(done);
    return {
      presses,
      acked,
      matched,
      missed: presses - matched,
      latencyMs: latency.summary(),
      pubackMs: puback.summary(),
    };
  }

  private windowHistogram: LatencyHistogram | null = null;

  private onAlarm(raw: RaisedAlarm): void {
    const a = (raw as { alarm?: RaisedAlarm }).alarm ?? raw;
    if (a.kind !== 'sos' || !a.bedId) return;
    const w = this.waiting.get(a.bedId);
    if (!w) return;
    this.waiting.delete(a.bedId);
    this.windowHistogram?.recordMs(performance.now() - w.at);
    w.resolve();
  }
}
