import { clearEpisode, getEpisode, raiseEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';
import { nameCache } from '../engine/name-cache';

const timerName = nameCache((id) => `not-worn:${id}`);

/** Wearable off the body for `afterMs` (default 12 h); clears when worn again. */
export const notWornRule: RuleModule = {
  name: 'not-worn',
  check(ctx) {
    const rule = ctx.ruleSet.notWorn;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const device = devices[id];
      const episode = getEpisode(ctx, 'not_worn', id);
      if (
        !episode &&
        rule.enabled &&
        device.worn === false &&
        device.removedSince !== null &&
        ctx.now - device.removedSince >= rule.afterMs
      ) {
        raiseEpisode(ctx, 'not_worn', id, rule.severity, device.removedSince, {
          reason: 'not_worn',
          message: `wearable not worn for ${Math.round((ctx.now - device.removedSince) / 3_600_000)} h`,
          details: { deviceId: id, removedSince: device.removedSince },
        });
      } else if (episode && device.worn === true) {
        clearEpisode(ctx, episode, { reason: 'worn_again', message: 'wearable worn again', details: { deviceId: id } });
      }
    }
  },
  timers(ctx, add) {
    if (!ctx.ruleSet.notWorn.enabled) return;
    const devices = ctx.state.devices;
    for (const id in devices) {
      const d = devices[id];
      if (d.worn === false && d.removedSince !== null && !getEpisode(ctx, 'not_worn', id))
        add(timerName(id), d.removedSince + ctx.ruleSet.notWorn.afterMs);
    }
  },
};
