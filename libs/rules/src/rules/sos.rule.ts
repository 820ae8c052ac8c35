import { getEpisode, raiseEpisode, recordUnraisedCancel, cancelEpisode, updateEpisode } from '../engine/episodes';
import type { RuleModule } from '../engine/eval-context';

/** Call button: raise at once; further presses while open update it (counted, severity may rise); cancels are recorded. */
export const sosRule: RuleModule = {
  name: 'sos',
  onInput(ctx, input) {
    const rule = ctx.ruleSet.sos;
    if (input.type !== 'event' || !rule.enabled) return;
    const details = { deviceId: input.deviceId, eventId: input.eventId ?? null, deviceTs: input.ts ?? null };
    const episode = getEpisode(ctx, 'sos');
    if (input.event === 'button.pressed') {
      if (episode) {
        updateEpisode(
          ctx,
          episode,
          { severity: rule.repeatSeverity, repeat: true },
          {
            reason: 'sos_repeat',
            message: `call button pressed again (${episode.repeatCount + 2} presses)`,
            details: { ...details, presses: episode.repeatCount + 2 },
          },
        );
      } else {
        raiseEpisode(ctx, 'sos', null, rule.severity, ctx.now, {
          reason: 'sos_pressed',
          message: 'call button pressed',
          details,
        });
      }
    } else if (input.event === 'button.cancelled') {
      // A cancel never closes the alarm: the operator still calls back and resolves it.
      if (episode)
        cancelEpisode(ctx, episode, {
          reason: 'sos_cancelled',
          message: 'resident cancelled the call on the device',
          details,
        });
      else
        recordUnraisedCancel(ctx, 'sos', null, ctx.now, {
          reason: 'sos_cancelled',
          message: 'cancel with no open call',
          details,
        });
    }
  },
};
