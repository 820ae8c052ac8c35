import { telemetryTopic } from '@bedside/contracts';
import type { SimDevice } from '../fleet/connect-devices';
import type { SignalModel } from '../models/model.types';
import { sleep } from '../util/sleep';
import { LatencyHistogram } from './latency-histogram';

export interface OpenLoopOptions {
  rate: number;
  durationMs: number;
  qos: 0 | 1;
  /** How long to wait for outstanding PUBACKs after the last send. */
  drainMs: number;
  onTick?: (elapsedMs: number, sent: number) => void;
}

export interface OpenLoopResult {
  scheduled: number;
  sent: number;
  acked: number;
  failed: number;
  outstanding: number;
  sendWindowMs: number;
  latency: LatencyHistogram;
  lateness: LatencyHistogram;
}

/**
 * Open-loop load: every device's messages are due on a fixed timetable (device i at
 * offset_i + k / rate); the scheduler sends what is due without waiting for acks, so a slow hub
 * shows up as latency and lateness, not as a lower offered rate (no coordinated omission).
 */
export async function runOpenLoop(devices: SimDevice[], models: Map<SimDevice, SignalModel>, o: OpenLoopOptions): Promise<OpenLoopResult> {
  const period = 1000 / o.rate;
  const perDevice = Math.max(1, Math.floor((o.durationMs / 1000) * o.rate));
  const offsets = devices.map((_, i) => (i / devices.length) * period);
  const sentBy = new Array<number>(devices.length).fill(0);
  const latency = new LatencyHistogram();
  const lateness = new LatencyHistogram();
  let sent = 0;
  let acked = 0;
  let failed = 0;
  const t0 = performance.now();
  const wall0 = Date.now();
  let lastTick = 0;
  for (;;) {
    const now = performance.now() - t0;
    let remaining = 0;
    for (let i = 0; i < devices.length; i++) {
      const due = Math.min(perDevice, Math.floor((now - offsets[i]) / period) + 1);
      while (sentBy[i] < due) {
        const k = sentBy[i]++;
        const scheduledAt = offsets[i] + k * period;
        lateness.recordMs(now - scheduledAt);
        const d = devices[i];
        const ts = wall0 + Math.round(scheduledAt);
        const payload = JSON.stringify({ ts, seq: d.client.nextSeq(), samples: [models.get(d)!.next(ts).sample] });
        const started = performance.now();
        sent++;
        d.client.publishRaw(telemetryTopic(d.client.deviceId), payload, o.qos).then(
          () => {
            acked++;
            if (o.qos === 1) latency.recordMs(performance.now() - started);
          },
          () => failed++,
        );
      }
      remaining += perDevice - sentBy[i];
    }
    if (o.onTick && now - lastTick >= 1000) {
      lastTick = now;
      o.onTick(now, sent);
    }
    if (remaining === 0) break;
    await sleep(1);
  }
  const sendWindowMs = performance.now() - t0;
  const drainUntil = performance.now() + o.drainMs;
  while (acked + failed < sent && performance.now() < drainUntil) await sleep(20);
  return { scheduled: perDevice * devices.length, sent, acked, failed, outstanding: sent - acked - failed, sendWindowMs, latency, lateness };
}
