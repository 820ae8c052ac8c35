import type { DeviceKind } from '@bedside/contracts';
import type { DeviceAction } from '../corpus/corpus.types';
import type { DeviceClient } from '../mqtt/device-client';
import { sleep } from '../util/sleep';
import type { HubClock } from './hub-clock';

export interface StreamedDevice {
  bedIndex: number;
  kind: DeviceKind;
  client: DeviceClient;
  timeline: Iterator<DeviceAction>;
}

export interface StreamStats {
  messages: number;
  events: number;
  drops: number;
  publishFailures: number;
  reconnectFailures: number;
  /** How far behind the virtual clock actions went out, virtual ms. */
  latenessP99Ms: number;
  latenessMaxMs: number;
  /** Publish -> PUBACK, converted to virtual ms: how far the hub fell behind. */
  pubackP99Ms: number;
  pubackMaxMs: number;
}

const TICK_MS = 10;
const SAMPLE_CAP = 100_000;

/**
 * Plays every device's timeline against the hub's clock: an action goes out when the hub's
 * virtual time reaches it, with its own virtual timestamp. One loop for the whole fleet, so a
 * slow machine shows as lateness (reported) rather than as reordering.
 */
export async function streamTimelines(
  devices: StreamedDevice[],
  clock: HubClock,
  o: { onProgress?: (virtualNow: number) => void; signal?: AbortSignal } = {},
): Promise<StreamStats> {
  const lateness: number[] = [];
  const puback: number[] = [];
  const stats = { messages: 0, events: 0, drops: 0, publishFailures: 0, reconnectFailures: 0 };
  const sampleInto = (arr: number[], v: number) =>
    arr.length < SAMPLE_CAP ? arr.push(v) : (arr[Math.floor(Math.random() * SAMPLE_CAP)] = v);
  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const live = devices.map((d) => ({
    d,
    next: d.timeline.next(),
    busy: null as Promise<void> | null,
    sending: new Set<Promise<unknown>>(),
  }));
  const send = (s: (typeof live)[number], p: Promise<unknown>) => {
    s.sending.add(p);
    void p.finally(() => s.sending.delete(p));
    track(p);
  };
  let lastProgress = 0;
  while (!o.signal?.aborted) {
    const now = clock.now();
    let pending = 0;
    for (const s of live) {
      if (s.next.done) continue;
      pending++;
      if (s.busy) continue;
      while (!s.next.done && s.next.value.at <= now && !s.busy) {
        const a = s.next.value;
        sampleInto(lateness, now - a.at);
        s.next = s.d.timeline.next();
        const client = s.d.client;
        if (a.type === 'telemetry') {
          stats.messages++;
          const sent = Date.now();
          send(
            s,
            client.publishTelemetry(a.samples, 1, a.at).then(
              () => sampleInto(puback, (Date.now() - sent) * clock.speed),
              () => stats.publishFailures++,
            ),
          );
        } else if (a.type === 'event') {
          stats.events++;
          send(
            s,
            client.publishEvent(a.event, { ts: a.ts, confidence: a.confidence }).catch(() => stats.publishFailures++),
          );
        } else if (a.type === 'drop') {
          stats.drops++;
          // What the device already handed to its link is delivered; the drop cuts what follows.
          s.busy = Promise.allSettled([...s.sending])
            .then(() => client.dropConnection())
            .finally(() => (s.busy = null));
        } else {
          s.busy = (async () => {
            for (let attempt = 1; ; attempt++) {
              try {
                await client.connect();
                await client.subscribeDownlinks();
                await client.publishStatus({ state: 'online', ts: a.at });
                return;
              } catch {
                if (attempt >= 5) return void stats.reconnectFailures++;
                await sleep(50 * attempt);
              }
            }
          })().finally(() => (s.busy = null));
        }
      }
    }
    if (pending === 0) break;
    if (o.onProgress && Date.now() - lastProgress >= 1000) {
      lastProgress = Date.now();
      o.onProgress(now);
    }
    await sleep(TICK_MS);
  }
  await Promise.allSettled([...inFlight]);
  return {
    ...stats,
    latenessP99Ms: p99(lateness),
    latenessMaxMs: max(lateness),
    pubackP99Ms: p99(puback),
    pubackMaxMs: max(puback),
  };
}

function p99(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]);
}

const max = (values: number[]): number => Math.round(values.reduce((m, v) => Math.max(m, v), 0));
