import { telemetryTopic } from '@bedside/contracts';
import type { SimDevice } from '../fleet/connect-devices';
import type { LoadDeviceConnection } from './load-device-connection';
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
export type LoadDevice = SimDevice<LoadDeviceConnection>;

export async function runOpenLoop(
  devices: LoadDevice[],
  models: Map<LoadDevice, SignalModel>,
  o: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const n = devices.length;
  const perDevice = Math.max(1, Math.floor((o.durationMs / 1000) * o.rate));
  const total = perDevice * n;
  // Device i's k-th message is due at (i / n + k) periods: message m = k * n + i is due at m
  // slots, so the timetable is one counter walked in order (no scan of every device per tick).
  const slot = 1000 / o.rate / n;
  const latency = new LatencyHistogram();
  const lateness = new LatencyHistogram();
  let m = 0;
  let sent = 0;
  let acked = 0;
  let failed = 0;
  const t0 = performance.now();
  const wall0 = Date.now();
  let lastTick = 0;
  for (;;) {
    const now = performance.now() - t0;
    for (; m < total && m * slot <= now; m++) {
      const scheduledAt = m * slot;
      lateness.recordMs(now - scheduledAt);
      const d = devices[m % n];
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
    if (o.onTick && now - lastTick >= 1000) {
      lastTick = now;
      o.onTick(now, sent);
    }
    if (m >= total) break;
    await sleep(1);
  }
  const sendWindowMs = performance.now() - t0;
  const drainUntil = performance.now() + o.drainMs;
  while (acked + failed < sent && performance.now() < drainUntil) await sleep(20);
  return { scheduled: total, sent, acked, failed, outstanding: sent - acked - failed, sendWindowMs, latency, lateness };
}
