import type { SimDevice } from './connect-devices';
import type { SignalModel } from '../models/model.types';

/**
 * Streams each device's model at `rate` messages per second (one sample per message), plus the
 * events the model produces. Offsets are spread over the interval so a fleet does not publish
 * in lock-step. Returns a stop function.
 */
export function streamTelemetry(
  devices: SimDevice[],
  models: Map<SimDevice, SignalModel>,
  rate: number,
  qos: 0 | 1,
  onError: (d: SimDevice, err: Error) => void,
): () => void {
  const interval = 1000 / rate;
  const timers: NodeJS.Timeout[] = [];
  devices.forEach((d, i) => {
    const model = models.get(d)!;
    const tick = () => {
      if (!d.client.connected) return;
      const now = Date.now();
      const { sample, events } = model.next(now);
      d.client.publishTelemetry([sample], qos, now).catch((err: Error) => onError(d, err));
      for (const e of events)
        d.client.publishEvent(e.type, { ts: e.ts, confidence: e.confidence }).catch((err: Error) => onError(d, err));
    };
    const start = setTimeout(
      () => {
        tick();
        timers.push(setInterval(tick, interval));
      },
      (i / devices.length) * interval,
    );
    timers.push(start);
  });
  return () => timers.forEach((t) => clearInterval(t));
}
