import type { DeviceState } from '../model/bed-state';
import type { DeviceKind } from '../model/rule-input';
import { clearEpisode } from './episodes';
import type { EvalContext, RuleModule } from './eval-context';
import { nameCache } from './name-cache';
import { placeSample } from './sample-clock';

const silentTimerName = nameCache((id) => `device:${id}:silent`);
const graceTimerName = nameCache((id) => `device:${id}:grace`);

/**
 * Keeps each device's online state, battery and worn flag. Runs even when the offline rule is disabled,
 * because offline devices inhibit absence and vital-sign rules.
 */
export const deviceTracker: RuleModule = {
  name: 'device-tracker',

  onInput(ctx, input) {
    if (input.type === 'device.removed') return removeDevice(ctx, input.deviceId);
    if (input.type === 'device.seen') return seenElsewhere(ctx.state.devices[input.deviceId], input.at, ctx.now);
    if (input.type !== 'telemetry' && input.type !== 'event' && input.type !== 'status') return;
    const offlineStatus = input.type === 'status' && !input.online;
    const device = touchDevice(ctx, input.deviceId, input.deviceKind, !offlineStatus);
    if (input.type === 'status') {
      if (typeof input.battery === 'number') device.battery = input.battery;
      if (offlineStatus) disconnect(ctx, input.deviceId, device, input.lastWill ? 'last_will' : 'status');
      return;
    }
    if (input.type === 'telemetry') {
      if (placeSample(ctx, device, input.ts ?? ctx.now)) {
        dropVitalTracks(ctx, input.deviceId);
        // Instants stamped on the old timeline would read as "just now" for as long as the jump.
        if (device.inBedSince !== null) device.inBedSince = 0;
        if (device.warmupFromTs !== null) device.warmupFromTs = 0;
      }
      if (device.warmupFromTs === null && !ctx.sampleLate) device.warmupFromTs = ctx.sampleTs;
      if (input.deviceKind === 'mattress' && !ctx.sampleLate && typeof input.inBed === 'boolean') {
        if (!input.inBed) device.inBedSince = null;
        else if (device.inBedSince === null) device.inBedSince = ctx.sampleTs;
      }
    }
    if (input.type === 'telemetry' && input.deviceKind === 'wearable') {
      if (typeof input.battery === 'number') device.battery = input.battery;
      if (typeof input.worn === 'boolean') setWorn(device, input.worn, ctx.now);
    }
    if (input.type === 'event' && (input.event === 'wearable.worn' || input.event === 'wearable.removed')) {
      setWorn(device, input.event === 'wearable.worn', ctx.now);
    }
  },

  check(ctx) {
    const { silentAfterMs, graceMs } = ctx.ruleSet.deviceOffline;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const device = devices[id];
      if (!device.online) continue;
      // Offline instants are the disconnect or the silence limit, not when the tick ran: keeps the episode key replay-stable.
      if (device.disconnectedAt !== null && ctx.now - device.disconnectedAt >= graceMs) {
        markOffline(ctx, id, device.disconnectedAt, device.disconnectReason ?? 'status');
      } else if (ctx.now - device.lastSeenAt >= silentAfterMs) {
        markOffline(ctx, id, device.lastSeenAt + silentAfterMs, 'silent');
      }
    }
  },

  timers(ctx, add) {
    const { silentAfterMs, graceMs } = ctx.ruleSet.deviceOffline;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const d = devices[id];
      if (!d.online) continue;
      add(silentTimerName(id), d.lastSeenAt + silentAfterMs);
      if (d.disconnectedAt !== null) add(graceTimerName(id), d.disconnectedAt + graceMs);
    }
  },
};

/**
 * Records that a message arrived; a device heard from after being offline comes back online (and warms
 * up). An offline status is a message too, but brings nothing back online.
 */
function touchDevice(ctx: EvalContext, id: string, kind: DeviceKind | undefined, connected: boolean): DeviceState {
  let device = ctx.state.devices[id];
  if (!device) {
    device = {
      kind: kind ?? 'other',
      online: true,
      lastSeenAt: ctx.now,
      onlineSince: ctx.now,
      warmupFromTs: null,
      offlineSince: null,
      offlineReason: null,
      battery: null,
      worn: null,
      removedSince: null,
      disconnectedAt: null,
      disconnectReason: null,
      lastSampleTs: null,
      sampleIntervalMs: null,
      inBedSince: null,
    };
    ctx.state.devices[id] = device;
  }
  if (kind && device.kind === 'other') device.kind = kind;
  device.lastSeenAt = ctx.now;
  if (!connected) return device;
  device.disconnectedAt = null;
  device.disconnectReason = null;
  if (!device.online) {
    device.online = true;
    device.onlineSince = ctx.now;
    device.warmupFromTs = null;
    device.offlineSince = null;
    device.offlineReason = null;
  }
  return device;
}

/** Only an online device's silence is pushed back: coming back online takes a message of its own. */
function seenElsewhere(device: DeviceState | undefined, at: number, now: number): void {
  if (device?.online && at > device.lastSeenAt) device.lastSeenAt = Math.min(at, now);
}

function setWorn(device: DeviceState, worn: boolean, now: number): void {
  if (!worn && device.worn !== false) device.removedSince = now;
  if (worn) device.removedSince = null;
  device.worn = worn;
}

/**
 * An offline status or Last Will: the device counts as offline only if nothing is heard from it within
 * `graceMs` (a connection that drops and returns at once is not a fault anyone can act on).
 */
function disconnect(ctx: EvalContext, id: string, device: DeviceState, reason: 'status' | 'last_will'): void {
  if (!device.online || device.disconnectedAt !== null) return;
  device.disconnectedAt = ctx.now;
  device.disconnectReason = reason;
}

/** Forgets a device that left the bed; its device-scoped alarms clear (the operator still sees them). */
function removeDevice(ctx: EvalContext, id: string): void {
  if (!ctx.state.devices[id]) return;
  markOffline(ctx, id, ctx.now, 'status'); // drops its vital-sign tracks and the presence it reported
  if (ctx.state.presence.sourceDeviceId === id) ctx.state.presence.sourceDeviceId = null;
  if (ctx.state.fall?.deviceId === id) ctx.state.fall = null;
  delete ctx.state.devices[id];
  for (const episode of Object.values(ctx.state.episodes)) {
    if (episode.subject === id)
      clearEpisode(ctx, episode, {
        reason: 'device_removed',
        message: 'device removed from this bed',
        details: { deviceId: id },
      });
  }
}

/** Offline drops what we knew from the device: its vital-sign tracks and, if it reported presence, presence. */
export function markOffline(
  ctx: EvalContext,
  id: string,
  since: number,
  reason: NonNullable<DeviceState['offlineReason']>,
): void {
  const device = ctx.state.devices[id];
  if (!device || !device.online) return;
  device.online = false;
  device.offlineSince = since;
  device.offlineReason = reason;
  device.disconnectedAt = null;
  device.disconnectReason = null;
  // Back online, a mattress must settle again before its readings count.
  device.inBedSince = null;
  dropVitalTracks(ctx, id);
  if (ctx.state.presence.sourceDeviceId === id) {
    ctx.state.presence = { inBed: null, changedAt: ctx.now, absentSince: null, sourceDeviceId: id };
  }
}

/** What the device's samples held so far is unknown from here on. */
function dropVitalTracks(ctx: EvalContext, id: string): void {
  const suffix = `@${id}`;
  for (const trackId of Object.keys(ctx.state.vitals)) {
    if (trackId.endsWith(suffix)) delete ctx.state.vitals[trackId];
  }
}
