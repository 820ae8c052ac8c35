import type { DeviceState } from '../model/bed-state';
import type { DeviceKind } from '../model/rule-input';
import { clearEpisode } from './episodes';
import type { EvalContext, RuleModule } from './eval-context';
import { nameCache } from './name-cache';

const silentTimerName = nameCache((id) => `device:${id}:silent`);

/**
 * Keeps each device's online state, battery and worn flag. Runs even when the offline rule is disabled,
 * because offline devices inhibit absence and vital-sign rules.
 */
export const deviceTracker: RuleModule = {
  name: 'device-tracker',

  onInput(ctx, input) {
    if (input.type === 'device.removed') return removeDevice(ctx, input.deviceId);
    if (input.type !== 'telemetry' && input.type !== 'event' && input.type !== 'status') return;
    const device = touchDevice(ctx, input.deviceId, input.deviceKind);
    if (input.type === 'status') {
      if (typeof input.battery === 'number') device.battery = input.battery;
      if (!input.online) markOffline(ctx, input.deviceId, ctx.now, input.lastWill ? 'last_will' : 'status');
      return;
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
    const silentAfter = ctx.ruleSet.deviceOffline.silentAfterMs;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const device = devices[id];
      // offlineSince is when the silence limit passed, not when the tick ran: keeps the episode key replay-stable.
      if (device.online && ctx.now - device.lastSeenAt >= silentAfter) markOffline(ctx, id, device.lastSeenAt + silentAfter, 'silent');
    }
  },

  timers(ctx, add) {
    const devices = ctx.state.devices;
    for (const id in devices) {
      const d = devices[id];
      if (d.online) add(silentTimerName(id), d.lastSeenAt + ctx.ruleSet.deviceOffline.silentAfterMs);
    }
  },
};

/** Records that a message arrived; a device heard from after being offline comes back online (and warms up). */
function touchDevice(ctx: EvalContext, id: string, kind: DeviceKind | undefined): DeviceState {
  let device = ctx.state.devices[id];
  if (!device) {
    device = {
      kind: kind ?? 'other',
      online: true,
      lastSeenAt: ctx.now,
      onlineSince: ctx.now,
      offlineSince: null,
      offlineReason: null,
      battery: null,
      worn: null,
      removedSince: null,
    };
    ctx.state.devices[id] = device;
  }
  if (kind && device.kind === 'other') device.kind = kind;
  device.lastSeenAt = ctx.now;
  if (!device.online) {
    device.online = true;
    device.onlineSince = ctx.now;
    device.offlineSince = null;
    device.offlineReason = null;
  }
  return device;
}

function setWorn(device: DeviceState, worn: boolean, now: number): void {
  if (!worn && device.worn !== false) device.removedSince = now;
  if (worn) device.removedSince = null;
  device.worn = worn;
}

/** Forgets a device that left the bed; its device-scoped alarms clear (the operator still sees them). */
function removeDevice(ctx: EvalContext, id: string): void {
  if (!ctx.state.devices[id]) return;
  markOffline(ctx, id, ctx.now, 'status'); // drops its vital-sign tracks and the presence it reported
  if (ctx.state.presence.sourceDeviceId === id) ctx.state.presence.sourceDeviceId = null;
  if (ctx.state.fall?.deviceId === id) ctx.state.fall = null;
  delete ctx.state.devices[id];
  for (const episode of Object.values(ctx.state.episodes)) {
    if (episode.subject === id) clearEpisode(ctx, episode, { reason: 'device_removed', message: 'device removed from this bed', details: { deviceId: id } });
  }
}

/** Offline drops what we knew from the device: its vital-sign tracks and, if it reported presence, presence. */
export function markOffline(ctx: EvalContext, id: string, since: number, reason: NonNullable<DeviceState['offlineReason']>): void {
  const device = ctx.state.devices[id];
  if (!device || !device.online) return;
  device.online = false;
  device.offlineSince = since;
  device.offlineReason = reason;
  for (const trackId of Object.keys(ctx.state.vitals)) {
    if (trackId.endsWith(`@${id}`)) delete ctx.state.vitals[trackId];
  }
  if (ctx.state.presence.sourceDeviceId === id) {
    ctx.state.presence = { inBed: null, changedAt: ctx.now, absentSince: null, sourceDeviceId: id };
  }
}
