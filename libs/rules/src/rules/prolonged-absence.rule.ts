import { getEpisode, raiseEpisode } from '../engine/episodes';
import type { EvalContext, RuleModule } from '../engine/eval-context';
import { isOutOfBed } from '../engine/presence-tracker';
import { nextLocalTime } from '../time/night-window';

/**
 * Out of bed longer than `maxDurationMs` (any time of day), or still out when the local clock reaches
 * `returnBy` (when set). Independent of the night rule: a long night absence yields both alarms.
 */
export const prolongedAbsenceRule: RuleModule = {
  name: 'prolonged-absence',

  check(ctx) {
    const rule = ctx.ruleSet.prolongedAbsence;
    if (!rule.enabled || !isOutOfBed(ctx) || getEpisode(ctx, 'prolonged_absence')) return;
    const absentSince = ctx.state.presence.absentSince!;
    const details = { absentSince, maxDurationMs: rule.maxDurationMs, returnBy: rule.returnBy };
    const backBy = returnByDeadline(ctx);
    if (ctx.now - absentSince >= rule.maxDurationMs) {
      raiseEpisode(ctx, 'prolonged_absence', null, rule.severity, absentSince, {
        reason: 'absent_too_long',
        message: `out of bed for ${Math.round((ctx.now - absentSince) / 60_000)} min`,
        details,
      });
    } else if (backBy !== null && ctx.now >= backBy) {
      raiseEpisode(ctx, 'prolonged_absence', null, rule.severity, absentSince, {
        reason: 'not_back_by',
        message: `not back in bed by ${rule.returnBy}`,
        details,
      });
    }
  },

  timers(ctx, add) {
    const rule = ctx.ruleSet.prolongedAbsence;
    if (!rule.enabled || !isOutOfBed(ctx) || getEpisode(ctx, 'prolonged_absence')) return;
    add('prolonged-absence:duration', ctx.state.presence.absentSince! + rule.maxDurationMs);
    add('prolonged-absence:return-by', returnByDeadline(ctx));
  },
};

/** The first `returnBy` local time after the absence began. */
function returnByDeadline(ctx: EvalContext): number | null {
  const { returnBy } = ctx.ruleSet.prolongedAbsence;
  return returnBy === null ? null : nextLocalTime(ctx.state.presence.absentSince!, returnBy, ctx.ruleSet.timeZone);
}
