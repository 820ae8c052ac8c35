import { clearEpisode, getEpisode, raiseEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';

/**
 * A device is offline after `silentAfterMs` without any message, or at once on an offline status
 * (including the MQTT Last Will). Clears on the next message from it. The device tracker decides
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
          message: reason === 'silent' ? `no message from ${device.kind} for ${Math.round(rule.silentAfterMs / 60_000)} min` : `${device.kind} reported offline${reason === 'last_will' ? ' (last will)' : ''}`,
          details: { deviceId: id, deviceKind: device.kind, lastSeenAt: device.lastSeenAt },
        });
      } else if (device.online && episode) {
        clearEpisode(ctx, episode, { reason: 'back_online', message: `${device.kind} back online`, details: { deviceId: id } });
      }
    }
  },
};
