import { cancelEpisode, getEpisode, raiseEpisode, recordUnraisedCancel, updateEpisode } from '../engine/episodes';
import type { EvalContext, RuleModule } from '../engine/eval-context';
import { compareSeverity } from '../model/severity';

/**
 * Fall: the resident has `cancelWindowMs` to cancel on the device; otherwise it is raised. If the wearable
 * shows no movement after the fall, it is raised at once (or upgraded) with `motionlessSeverity`.
 */
export const fallRule: RuleModule = {
  name: 'fall',

  onInput(ctx, input) {
    const rule = ctx.ruleSet.fall;
    if (!rule.enabled) return;
    const episode = getEpisode(ctx, 'fall');
    const pending = ctx.state.fall;
    if (input.type === 'event' && input.event === 'fall.detected') {
      const motionless = input.motionless === true;
      if (episode) {
        updateEpisode(
          ctx,
          episode,
          { repeat: true, severity: motionless ? rule.motionlessSeverity : undefined },
          {
            reason: 'fall_repeat',
            message: 'another fall detected',
            details: { deviceId: input.deviceId, motionless },
          },
        );
      } else if (pending) {
        pending.detections += 1;
        pending.motionless ||= motionless;
      } else {
        ctx.state.fall = {
          detectedAt: ctx.now,
          deviceId: input.deviceId,
          eventId: input.eventId ?? null,
          motionless,
          detections: 1,
        };
      }
    } else if (input.type === 'event' && input.event === 'fall.cancelled') {
      const details = { deviceId: input.deviceId };
      if (pending) {
        ctx.state.fall = null;
        recordUnraisedCancel(ctx, 'fall', null, pending.detectedAt, {
          reason: 'fall_cancelled',
          message: 'resident cancelled the fall alert within the cancel window',
          details: { ...details, detectedAt: pending.detectedAt },
        });
      } else if (episode) {
        cancelEpisode(ctx, episode, {
          reason: 'fall_cancelled',
          message: 'resident cancelled the fall alert after it was raised',
          details,
        });
      }
    } else if (
      input.type === 'telemetry' &&
      input.deviceKind === 'wearable' &&
      typeof input.movement === 'number' &&
      input.movement <= rule.motionlessMaxMovement
    ) {
      if (pending && pending.deviceId === input.deviceId) pending.motionless = true;
      if (episode && episode.cancelledAt === null && compareSeverity(rule.motionlessSeverity, episode.severity) > 0) {
        updateEpisode(
          ctx,
          episode,
          { severity: rule.motionlessSeverity },
          {
            reason: 'fall_motionless',
            message: 'no movement after the fall',
            details: { deviceId: input.deviceId, movement: input.movement },
          },
        );
      }
    }
  },

  check(ctx) {
    const pending = ctx.state.fall;
    if (!pending) return;
    const rule = ctx.ruleSet.fall;
    if (pending.motionless)
      raisePending(ctx, rule.motionlessSeverity, 'fall_motionless', 'fall detected, no movement after it');
    else if (ctx.now - pending.detectedAt >= rule.cancelWindowMs)
      raisePending(ctx, rule.severity, 'fall_not_cancelled', 'fall detected and not cancelled');
  },

  timers(ctx, add) {
    if (ctx.state.fall) add('fall:cancel-window', ctx.state.fall.detectedAt + ctx.ruleSet.fall.cancelWindowMs);
  },
};

function raisePending(
  ctx: EvalContext,
  severity: Parameters<typeof raiseEpisode>[3],
  reason: string,
  message: string,
): void {
  const pending = ctx.state.fall!;
  ctx.state.fall = null;
  const episode = raiseEpisode(ctx, 'fall', null, severity, pending.detectedAt, {
    reason,
    message,
    details: {
      deviceId: pending.deviceId,
      eventId: pending.eventId,
      detectedAt: pending.detectedAt,
      detections: pending.detections,
    },
  });
  episode.repeatCount = pending.detections - 1;
}
