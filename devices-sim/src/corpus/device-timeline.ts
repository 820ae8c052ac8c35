import type { DeviceKind, EventType } from '@bedside/contracts';
import { Prng } from '../models/prng';
import type { AnySample } from '../models/model.types';
import type { BedNight, DeviceAction } from './corpus.types';
import { buttonSampler, mattressSampler, wearableSampler, type SampleAt } from './night-signals';

/** The contract's limit of samples per telemetry message. */
export const MAX_SAMPLES_PER_MESSAGE = 300;

/**
 * Everything one device sends during the night, in time order: telemetry as its upload mode
 * dictates (one sample per message, or a batch every 1-2 min), its events at once, and link
 * drops after which what was measured meanwhile is sent on reconnecting. A generator, because a
 * mattress night is tens of thousands of samples.
 */
export function* deviceTimeline(night: BedNight, kind: DeviceKind, from = night.start): Generator<DeviceAction> {
  const mode = night.resident.upload[kind];
  const sample: SampleAt<AnySample> =
    kind === 'mattress' ? mattressSampler(night) : kind === 'wearable' ? wearableSampler(night) : buttonSampler(night);
  const others = [...eventsOf(night, kind), ...linkChanges(night, kind)].sort(
    (a, b) => a.at - b.at || order(a) - order(b),
  );
  const uploadEvery = mode.kind === 'batch' ? mode.uploadEveryMs : mode.sampleEveryMs;
  // The first message goes out at once (the device has just connected); after that batching
  // devices are not in step with each other.
  const phase =
    mode.kind === 'batch' ? Math.round(new Prng(night.seed).fork(`phase:${kind}`).uniform(0, uploadEvery)) : 0;
  let nextUpload = from;
  let connected = true;
  let buffer: AnySample[] = [];
  let held: DeviceAction[] = [];
  function* flush(at: number): Generator<DeviceAction> {
    if (!connected) return;
    for (let i = 0; i < buffer.length; i += MAX_SAMPLES_PER_MESSAGE)
      yield { at, type: 'telemetry', samples: buffer.slice(i, i + MAX_SAMPLES_PER_MESSAGE) };
    buffer = [];
  }
  function* handle(a: DeviceAction): Generator<DeviceAction> {
    if (a.type === 'drop') {
      connected = false;
      yield a;
    } else if (a.type === 'reconnect') {
      connected = true;
      yield a;
      for (const e of held) yield { ...e, at: a.at };
      held = [];
      yield* flush(a.at);
    } else if (connected) yield a;
    else held.push(a);
  }
  let oi = 0;
  for (let t = from, first = true; t < night.end; t += mode.sampleEveryMs) {
    while (oi < others.length && others[oi].at <= t) yield* handle(others[oi++]);
    buffer.push(sample(t));
    if (t >= nextUpload) {
      yield* flush(t);
      if (first) nextUpload = from + phase;
      first = false;
      while (nextUpload <= t) nextUpload += uploadEvery;
    }
  }
  while (oi < others.length) yield* handle(others[oi++]);
  yield* flush(night.end);
}

const order = (a: DeviceAction): number => (a.type === 'drop' ? 0 : a.type === 'reconnect' ? 2 : 1);

function eventsOf(night: BedNight, kind: DeviceKind): DeviceAction[] {
  const ev = (at: number, event: EventType, confidence?: number): DeviceAction => ({
    at: Math.round(at),
    type: 'event',
    event,
    ts: Math.round(at),
    ...(confidence !== undefined && { confidence }),
  });
  const inWindow = (t: number) => t > night.start && t < night.end;
  if (kind === 'mattress') {
    const out: DeviceAction[] = [];
    const { bedtime, wake, exits } = night.sleep;
    if (inWindow(bedtime)) out.push(ev(bedtime, 'bed.return'));
    for (const x of exits) {
      if (inWindow(x.start)) out.push(ev(x.start, 'bed.exit'));
      if (inWindow(x.end)) out.push(ev(x.end, 'bed.return'));
    }
    if (inWindow(wake)) out.push(ev(wake, 'bed.exit'));
    return out;
  }
  if (kind === 'wearable') {
    const out: DeviceAction[] = [];
    for (const w of night.worn) {
      if (inWindow(w.start)) out.push(ev(w.start, 'wearable.worn'));
      if (inWindow(w.end)) out.push(ev(w.end, 'wearable.removed'));
    }
    for (const f of night.falls) {
      out.push(ev(f.at, 'fall.detected', f.confidence));
      if (f.cancelAt !== null) out.push(ev(f.cancelAt, 'fall.cancelled'));
    }
    return out.filter((a) => inWindow(a.at));
  }
  return [];
}

function linkChanges(night: BedNight, kind: DeviceKind): DeviceAction[] {
  const drops = night.artefacts
    .filter((a) => a.device === kind && a.value === 'dropout')
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const d of drops) {
    const prev = merged.at(-1);
    // A reconnect needs a moment; drops closer than a second are one outage.
    if (prev && d.start <= prev.end + 1000) prev.end = Math.max(prev.end, d.end);
    else merged.push({ start: d.start, end: d.end });
  }
  return merged.flatMap((d): DeviceAction[] => [
    { at: Math.round(d.start), type: 'drop' },
    { at: Math.round(d.end), type: 'reconnect' },
  ]);
}
