import { clearEpisode, getEpisode, raiseEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';
import type { DeviceState } from '../model/bed-state';

/** Battery at or below `threshold` %; clears only at `threshold + clearMargin` so a jittery reading does not flap. */
export const lowBatteryRule: RuleModule = {
  name: 'low-battery',
  check(ctx) {
    const rule = ctx.ruleSet.lowBattery;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const device = devices[id];
      if (device.battery === null) continue;
      const episode = getEpisode(ctx, 'low_battery', id);
      if (!episode && rule.enabled && device.battery <= rule.threshold) {
        raiseEpisode(ctx, 'low_battery', id, rule.severity, ctx.now, {
          reason: 'battery_low',
          message: `${device.kind} battery at ${device.battery}%`,
          details: details(id, device, rule.threshold),
        });
      } else if (episode && device.battery >= rule.threshold + rule.clearMargin) {
        clearEpisode(ctx, episode, {
          reason: 'battery_ok',
          message: `${device.kind} battery at ${device.battery}%`,
          details: details(id, device, rule.threshold),
        });
      }
    }
  },
};

function details(deviceId: string, device: DeviceState, threshold: number) {
  return { deviceId, deviceKind: device.kind, battery: device.battery, threshold };
}
