import { clearEpisode, getEpisode } from './episodes';
import type { EvalContext, RuleModule } from './eval-context';

/** Whether someone is in bed, and since when they have been away; absence rules read this. */
export const presenceTracker: RuleModule = {
  name: 'presence-tracker',

  onInput(ctx, input) {
    // A late sample is older than what the mattress already said: it must not turn presence back.
    if (
      input.type === 'telemetry' &&
      input.deviceKind === 'mattress' &&
      typeof input.inBed === 'boolean' &&
      !ctx.sampleLate
    ) {
      observePresence(ctx, input.inBed, input.deviceId);
    } else if (input.type === 'event' && (input.event === 'bed.exit' || input.event === 'bed.return')) {
      observePresence(ctx, input.event === 'bed.return', input.deviceId);
    }
  },

  check(ctx) {
    const p = ctx.state.presence;
    if (p.inBed !== true || p.changedAt === null || ctx.now - p.changedAt < ctx.ruleSet.presence.returnDebounceMs)
      return;
    // Back in bed long enough: the absence is over.
    p.absentSince = null;
    for (const kind of ['bed_exit', 'prolonged_absence'] as const) {
      const episode = getEpisode(ctx, kind);
      if (episode) {
        clearEpisode(ctx, episode, {
          reason: 'returned_to_bed',
          message: 'back in bed',
          details: { returnedAt: p.changedAt },
        });
      }
    }
  },

  timers(ctx, add) {
    const p = ctx.state.presence;
    const pending = p.absentSince !== null || getEpisode(ctx, 'bed_exit') || getEpisode(ctx, 'prolonged_absence');
    if (p.inBed === true && p.changedAt !== null && pending)
      add('presence:return', p.changedAt + ctx.ruleSet.presence.returnDebounceMs);
  },
};

function observePresence(ctx: EvalContext, inBed: boolean, deviceId: string): void {
  const p = ctx.state.presence;
  p.sourceDeviceId = deviceId;
  if (p.inBed === inBed) return;
  p.inBed = inBed;
  p.changedAt = ctx.now;
  // A return shorter than the debounce leaves absentSince as it was, so the absence keeps counting.
  if (!inBed && p.absentSince === null) p.absentSince = ctx.now;
}

/** Out of bed now, with a known start of the absence. */
export function isOutOfBed(ctx: EvalContext): boolean {
  return ctx.state.presence.inBed === false && ctx.state.presence.absentSince !== null;
}
