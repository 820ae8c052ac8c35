import { EVENT_KINDS } from '../model/rule-kind';
import { episodeId, raiseEpisode } from '../engine/episodes';
import type { EvalContext, RuleModule } from '../engine/eval-context';

/**
 * Maintenance silence: episodes that begin while a bed is silenced are raised with `suppressed: true`
 * (recorded, not alerted). When the silence ends, conditions still present are raised again for real;
 * suppressed event episodes (a test press, a test fall) just end.
 */
export const maintenanceSilence: RuleModule = {
  name: 'maintenance-silence',

  onInput(ctx, input) {
    if (input.type !== 'silence') return;
    if (input.until === null || input.until <= ctx.now) {
      if (ctx.state.silence) endSilence(ctx);
      return;
    }
    ctx.state.silence = {
      since: ctx.state.silence?.since ?? ctx.now,
      until: input.until,
      actor: input.actor ?? null,
      note: input.note ?? null,
    };
  },

  check(ctx) {
    if (ctx.state.silence && ctx.now >= ctx.state.silence.until) endSilence(ctx);
  },

  timers(ctx, add) {
    if (ctx.state.silence) add('silence:end', ctx.state.silence.until);
  },
};

function endSilence(ctx: EvalContext): void {
  ctx.state.silence = null;
  for (const episode of Object.values(ctx.state.episodes)) {
    if (!episode.suppressed || episode.resolvedAt !== null) continue;
    delete ctx.state.episodes[episodeId(episode.kind, episode.subject)];
    if (EVENT_KINDS.includes(episode.kind)) continue;
    raiseEpisode(ctx, episode.kind, episode.subject, episode.severity, ctx.now, {
      reason: 'still_active_after_silence',
      message: `${episode.kind} still active when the maintenance silence ended`,
      details: { suppressedKey: episode.key, conditionSince: episode.startedAt },
    });
  }
}
