import { getEpisode, raiseEpisode, updateEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';

/** Tamper report from a device: one episode per device, repeats counted, closed by an operator. */
export const tamperRule: RuleModule = {
  name: 'tamper',
  onInput(ctx, input) {
    if (input.type !== 'event' || input.event !== 'tamper' || !ctx.ruleSet.tamper.enabled) return;
    const details = { deviceId: input.deviceId, eventId: input.eventId ?? null };
    const episode = getEpisode(ctx, 'tamper', input.deviceId);
    if (episode)
      updateEpisode(
        ctx,
        episode,
        { repeat: true },
        { reason: 'tamper_repeat', message: 'tamper reported again', details },
      );
    else
      raiseEpisode(ctx, 'tamper', input.deviceId, ctx.ruleSet.tamper.severity, ctx.now, {
        reason: 'tamper',
        message: 'device reports tampering',
        details,
      });
  },
};
