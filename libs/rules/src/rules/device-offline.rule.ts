import { clearEpisode, getEpisode, raiseEpisode, updateEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';
import { nameCache } from '../engine/name-cache';
import type { DeviceState } from '../model/bed-state';

const clearTimerName = nameCache((id) => `device-offline:${id}:clear`);

/**
 * A device is offline after `silentAfterMs` without any message, or `graceMs` after an offline status
 * (including the MQTT Last Will) with nothing heard since. The alarm clears once the device has stayed
 * back online for `clearAfterMs`: a flapping connection is one alarm, not one per drop, and each time
 * it goes offline again while the alarm is open counts as a repeat of it. The device tracker decides
 * online/offline; this rule only turns it into alarms.
 */
export const deviceOfflineRule: RuleModule = {
  name: 'device-offline',
  check(ctx) {
    const rule = ctx.ruleSet.deviceOffline;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const device = devices[id];
      const episode = getEpisode(ctx, 'device_offline', id);
      if (!device.online && !episode && rule.enabled) {
        const reason = device.offlineReason ?? 'silent';
        raiseEpisode(ctx, 'device_offline', id, rule.severity, device.offlineSince!, {
          reason: `offline_${reason}`,
          message:
            reason === 'silent'
              ? `no message from ${device.kind} for ${Math.round(rule.silentAfterMs / 60_000)} min`
              : `${device.kind} reported offline${reason === 'last_will' ? ' (last will)' : ''}`,
          details: { deviceId: id, deviceKind: device.kind, lastSeenAt: device.lastSeenAt },
        });
      } else if (!device.online && episode && device.offlineSince! > (episode.repeatedFrom ?? episode.startedAt)) {
        // Offline instants are the disconnect or the silence limit: strictly later for each new drop,
        // so a replay of the same inputs counts the same drops.
        const reason = device.offlineReason ?? 'silent';
        episode.repeatedFrom = device.offlineSince;
        updateEpisode(
          ctx,
          episode,
          { repeat: true },
          {
            reason: 'offline_repeat',
            message: `${device.kind} offline again (${episode.repeatCount + 1} times while this alarm was open)`,
            details: {
              deviceId: id,
              deviceKind: device.kind,
              offlineReason: `offline_${reason}`,
              offlineSince: device.offlineSince,
              lastSeenAt: device.lastSeenAt,
              repeat: episode.repeatCount + 1,
            },
          },
        );
      } else if (episode && isBackToStay(device, ctx.now, rule.clearAfterMs)) {
        clearEpisode(ctx, episode, {
          reason: 'back_online',
          message: `${device.kind} back online`,
          details: { deviceId: id, deviceKind: device.kind, onlineSince: device.onlineSince },
        });
      }
    }
  },

  timers(ctx, add) {
    const devices = ctx.state.devices;
    for (const id in devices) {
      const device = devices[id];
      if (device.online && device.disconnectedAt === null && getEpisode(ctx, 'device_offline', id))
        add(clearTimerName(id), device.onlineSince + ctx.ruleSet.deviceOffline.clearAfterMs);
    }
  },
};

/** Online, not disconnecting, for `clearAfterMs` already (drops shorter than the grace never made it offline). */
function isBackToStay(device: DeviceState, now: number, clearAfterMs: number): boolean {
  return device.online && device.disconnectedAt === null && now - device.onlineSince >= clearAfterMs;
}
