import { getEpisode, raiseEpisode } from '../engine/episodes';
import type { EvalContext, RuleModule } from '../engine/eval-context';
import { isOutOfBed } from '../engine/presence-tracker';
import { currentWindowStart, nextWindowStart } from '../time/night-window';

/**
 * Out of bed during the night window and not back within `returnWithinMs`. Only time inside the window
 * counts: leaving at 21:50 fires at 22:20 with the defaults. An alarm raised at night stays open after
 * the window ends until the resident is back in bed (morning does not bring them back).
 */
export const bedExitRule: RuleModule = {
  name: 'bed-exit',

  check(ctx) {
    const rule = ctx.ruleSet.bedExit;
    if (!rule.enabled || !isOutOfBed(ctx) || getEpisode(ctx, 'bed_exit')) return;
    const since = countingSince(ctx);
    if (since === null || ctx.now - since < rule.returnWithinMs) return;
    const absentSince = ctx.state.presence.absentSince!;
    raiseEpisode(ctx, 'bed_exit', null, rule.severity, absentSince, {
      reason: 'night_absence',
      message: `out of bed during the night for ${Math.round((ctx.now - absentSince) / 60_000)} min`,
      details: {
        absentSince,
        countingSince: since,
        timeZone: ctx.ruleSet.timeZone,
        returnWithinMs: rule.returnWithinMs,
      },
    });
  },

  timers(ctx, add) {
    const rule = ctx.ruleSet.bedExit;
    if (!rule.enabled || !isOutOfBed(ctx) || getEpisode(ctx, 'bed_exit')) return;
    const since = countingSince(ctx) ?? nextWindowStart(ctx.now, rule.nightWindow, ctx.ruleSet.timeZone);
    add('bed-exit', since + rule.returnWithinMs);
  },
};

/** Start of the absence counted inside the current night window, or null outside the window. */
function countingSince(ctx: EvalContext): number | null {
  const windowStart = currentWindowStart(ctx.now, ctx.ruleSet.bedExit.nightWindow, ctx.ruleSet.timeZone);
  return windowStart === null ? null : Math.max(windowStart, ctx.state.presence.absentSince!);
}
