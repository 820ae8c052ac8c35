import { clearEpisode, getEpisode, raiseEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';

/** Battery at or below `threshold` %; clears only at `threshold + clearMargin` so a jittery reading does not flap. */
export const lowBatteryRule: RuleModule = {
  name: 'low-battery',
  check(ctx) {
    const rule = ctx.ruleSet.lowBattery;
    for (const [id, device] of Object.entries(ctx.state.devices)) {
      if (device.battery === null) continue;
      const episode = getEpisode(ctx, 'low_battery', id);
      const details = { deviceId: id, deviceKind: device.kind, battery: device.battery, threshold: rule.threshold };
      if (!episode && rule.enabled && device.battery <= rule.threshold) {
        raiseEpisode(ctx, 'low_battery', id, rule.severity, ctx.now, { reason: 'battery_low', message: `${device.kind} battery at ${device.battery}%`, details });
      } else if (episode && device.battery >= rule.threshold + rule.clearMargin) {
        clearEpisode(ctx, episode, { reason: 'battery_ok', message: `${device.kind} battery at ${device.battery}%`, details });
      }
    }
  },
};
