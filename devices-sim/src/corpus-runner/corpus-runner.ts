import { DEVICE_KINDS } from '@bedside/contracts';
import {
  classifyAlarms,
  type ClassifiedAlarm,
  type CorpusFigures,
  type ObservedAlarm,
  type Targets,
} from '../corpus/alarm-classifier';
import { nightStartAfter, planCorpus } from '../corpus/corpus';
import type { CorpusOptions, TrueEvent } from '../corpus/corpus.types';
import { deviceTimeline } from '../corpus/device-timeline';
import { DeviceClient } from '../mqtt/device-client';
import { mapLimit, sleep } from '../util/sleep';
import { openAlarmStream } from '../hub/alarm-stream';
import type { BedCredentials } from '../hub/credentials';
import { provisionBeds } from '../hub/provisioner';
import { UsageError } from '../cli/exit-codes';
import { ReconnectingRestClient, isClosedSocket } from './reconnecting-rest.client';
import { checkHubSpeed, syncHubClock, type HubClock } from './hub-clock';
import { streamTimelines, type StreamStats } from './corpus-streamer';

export interface CorpusRunOptions {
  hub: string;
  mqtt: string;
  admin: { username: string; password: string };
  seed: number;
  beds: number;
  hours: number;
  /** The hub clock's speed-up (its libfaketime factor; 1 for a hub at real time). */
  speed: number;
  eventShare: number;
  /** Local hour the observed night starts at (21 = 21:00), or 'now'. */
  startHour: number | 'now';
  utcOffsetMinutes: number;
  timeZone: string;
  targets: Targets;
  /** Timing distortion allowed before a run is declared invalid, virtual ms (well under the shortest hold). */
  maxLagMs: number;
}

export interface CorpusRunHooks {
  phase?: (text: string) => void;
  progress?: (virtualNow: number, start: number, end: number, alarms: number) => void;
}

export interface CorpusRunResult {
  options: Omit<CorpusRunOptions, 'admin'>;
  start: number;
  end: number;
  realMs: number;
  clock: { speed: number; measuredSpeed: number; uncertaintyMs: number; driftMs: number };
  stream: StreamStats;
  /** Why the run's timing cannot be trusted (null: it can). */
  distorted: string | null;
  figures: CorpusFigures;
  alarms: ClassifiedAlarm[];
  missed: TrueEvent[];
  ok: boolean;
}

/** Longer waits for the night to begin are surely a mistake (a hub clock already past it). */
const MAX_WAIT_REAL_MS = 10 * 60_000;

/** Keep-alive far above the run: the hub's keep-alive timer runs `speed` times faster than ours. */
const KEEPALIVE_SEC = 3600;

/**
 * A corpus night against a running hub: provisions beds over REST, finds the hub's clock,
 * connects every device over MQTT, plays each device's night on the hub's clock, collects the
 * alarm stream and sorts every alarm against the declared true events.
 */
export async function runCorpus(o: CorpusRunOptions, hooks: CorpusRunHooks = {}): Promise<CorpusRunResult> {
  const t0 = Date.now();
  const api = new ReconnectingRestClient(o.hub, o.admin, 30_000);
  hooks.phase?.(`provisioning ${o.beds} beds`);
  let clock = await syncHubClock(o.hub, o.speed);
  const firstSync = Date.now();
  const beds = await provisionBeds(api, o.beds, 'corpus', { timeZone: o.timeZone, concurrency: 4 });
  const stream = await openAlarmStream(o.hub, api.authHeader).catch((err) =>
    isClosedSocket(err) ? openAlarmStream(o.hub, api.authHeader) : Promise.reject(err as Error),
  );
  if (!stream.available) throw new Error(`the hub at ${o.hub} has no alarm stream`);

  // Devices connect shortly before the night: their connections take real time, which the
  // hub's clock multiplies; the hub also mutes vitals for a minute after a device comes online.
  const leadVirtualMs = 60_000 + o.speed * (1000 + o.beds * DEVICE_KINDS.length * 10);
  let start = o.startHour === 'now' ? 0 : nightStartAfter(clock.now() + leadVirtualMs, o.utcOffsetMinutes, o.startHour);
  if (o.startHour !== 'now') {
    const waitRealMs = clock.toReal(start - leadVirtualMs) - Date.now();
    if (waitRealMs > MAX_WAIT_REAL_MS) {
      stream.stream.close();
      throw new UsageError(
        `the night starts at ${new Date(start).toISOString()} on the hub clock, ${Math.round(waitRealMs / 60_000)} min from now at x${o.speed}: use --start now, or start the hub's clock before ${o.startHour}:00`,
      );
    }
    if (waitRealMs > 0) {
      hooks.phase?.(
        `waiting for ${new Date(start - leadVirtualMs).toISOString()} on the hub clock (${(waitRealMs / 1000).toFixed(1)} s)`,
      );
      await sleep(waitRealMs);
    }
  }
  // A wrong --speed shows as drift between two syncs some seconds apart; a small one is checked again after the night.
  const speedCheck = await checkHubSpeed(o.hub, clock, firstSync);
  if (Date.now() - firstSync > 2000 && Math.abs(speedCheck.measuredSpeed / o.speed - 1) > 0.1) {
    stream.stream.close();
    throw new UsageError(
      `the hub's clock runs at about x${speedCheck.measuredSpeed.toFixed(1)}, not x${o.speed}: give the hub's speed with --speed`,
    );
  }
  const initial = speedCheck.clock;
  clock = initial;
  const syncedAt = Date.now();

  hooks.phase?.(`connecting ${beds.length * DEVICE_KINDS.length} devices`);
  const devices = await connectPatiently(beds, o.mqtt).catch((err: Error) => {
    stream.stream.close();
    throw err;
  });
  await Promise.all(
    devices.map((d) =>
      d.client.publishStatus({ state: 'online', ts: Math.round(clock.now()), firmware: 'corpus-1.0' }),
    ),
  );
  // From now on every device reports; the observed night starts after the hub's warm-up.
  const from = Math.ceil(clock.now() / 1000) * 1000;
  if (o.startHour === 'now') start = from + 60_000;
  const corpus: CorpusOptions = {
    seed: o.seed,
    beds: o.beds,
    start,
    hours: o.hours,
    utcOffsetMinutes: o.utcOffsetMinutes,
    eventShare: o.eventShare,
  };
  const nights = planCorpus(corpus);
  const end = start + o.hours * 3600_000;

  hooks.phase?.(`night ${new Date(start).toISOString()} .. ${new Date(end).toISOString()} (hub clock) at x${o.speed}`);
  const streamed = devices.map((d) => ({
    bedIndex: d.bedIndex,
    kind: d.kind,
    client: d.client,
    timeline: deviceTimeline(nights[d.bedIndex], d.kind, Math.min(from, start)),
  }));
  const stats = await streamTimelines(streamed, clock, {
    onProgress: (now) => hooks.progress?.(now, start, end, stream.stream.alarms.length),
  });
  // Alarms raised up to the end of the night may still be on their way.
  await sleep(Math.max(500, 60_000 / o.speed));
  stream.stream.close();
  await Promise.all(devices.map((d) => d.client.end()));
  const finalCheck = await checkHubSpeed(o.hub, initial, syncedAt);

  const observed = toObserved(stream.stream.alarms, beds, clock, start, end);
  const { alarms, figures, missed } = classifyAlarms(nights, observed, o.hours, o.targets);
  const clockDriftMs = Math.abs(finalCheck.clock.offset - initial.offset);
  const distorted =
    clockDriftMs > o.maxLagMs
      ? `the hub's clock drifted ${Math.round(clockDriftMs / 1000)} s from ours during the night (measured x${finalCheck.measuredSpeed.toFixed(2)}): is --speed the hub's factor?`
      : stats.latenessP99Ms > o.maxLagMs
        ? `the generator fell ${Math.round(stats.latenessP99Ms / 1000)} s (hub time, p99) behind: lower --speed or --beds`
        : stats.pubackP99Ms > o.maxLagMs
          ? `the hub took ${Math.round(stats.pubackP99Ms / 1000)} s (hub time, p99) to acknowledge telemetry: lower --speed or --beds`
          : stats.publishFailures + stats.reconnectFailures > 0
            ? `${stats.publishFailures} publishes and ${stats.reconnectFailures} reconnects failed`
            : null;
  const { admin: _admin, ...shown } = o;
  return {
    options: shown,
    start,
    end,
    realMs: Date.now() - t0,
    clock: {
      speed: o.speed,
      measuredSpeed: Math.round(finalCheck.measuredSpeed * 1000) / 1000,
      uncertaintyMs: Math.round(clock.uncertaintyMs),
      driftMs: Math.round(clockDriftMs),
    },
    stream: stats,
    distorted,
    figures,
    alarms,
    missed,
    ok: figures.ok && distorted === null,
  };
}

function toObserved(
  raised: {
    id: string;
    bedId: string | null;
    kind: string;
    severity: string;
    receivedAt: number;
    [k: string]: unknown;
  }[],
  beds: BedCredentials[],
  clock: HubClock,
  start: number,
  end: number,
): ObservedAlarm[] {
  const index = new Map(beds.map((b, i) => [b.bedId, i]));
  const out: ObservedAlarm[] = [];
  for (const a of raised) {
    const bedIndex = a.bedId ? index.get(a.bedId) : undefined;
    if (bedIndex === undefined) continue;
    const raisedAt = typeof a.raisedAt === 'string' ? Date.parse(a.raisedAt) : clock.toVirtual(a.receivedAt);
    if (raisedAt < start || raisedAt > end) continue;
    out.push({
      id: a.id,
      bedIndex,
      kind: a.kind,
      severity: a.severity,
      raisedAt,
      seenAt: Math.round(clock.toVirtual(a.receivedAt)),
      subject: (a.subject as string | null | undefined) ?? null,
    });
  }
  return out;
}

/**
 * Every device of every bed connected, a few at a time and with retries: a hub on a compressed
 * clock gives a slow login (password hashing) proportionally less of its connect timeout.
 */
async function connectPatiently(
  beds: BedCredentials[],
  mqttUrl: string,
): Promise<{ bedIndex: number; kind: (typeof DEVICE_KINDS)[number]; client: DeviceClient }[]> {
  const all = beds.flatMap((bed, bedIndex) =>
    DEVICE_KINDS.map((kind) => ({
      bedIndex,
      kind,
      client: new DeviceClient(bed.devices[kind], kind, { mqttUrl, reconnect: false, keepaliveSec: KEEPALIVE_SEC }),
    })),
  );
  await mapLimit(all, 4, async (d) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await d.client.connect();
        await d.client.subscribeDownlinks();
        return;
      } catch (err) {
        if (attempt >= 6) {
          await Promise.all(all.map((x) => x.client.end()));
          throw new Error(`${d.client.deviceId} could not connect: ${(err as Error).message}`, { cause: err });
        }
        await sleep(100 * attempt);
      }
    }
  });
  return all;
}
