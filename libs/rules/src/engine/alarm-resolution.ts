import { EVENT_KINDS } from '../model/rule-kind';
import { episodeId } from './episodes';
import type { RuleModule } from './eval-context';

/**
 * The caller reports that an operator resolved an alarm. Event episodes close (the next press is a new
 * alarm); condition episodes are muted until the condition clears, so a still-abnormal reading does not
 * re-raise the alarm the operator just handled (a more severe tier still does).
 */
export const alarmResolution: RuleModule = {
  name: 'alarm-resolution',
  onInput(ctx, input) {
    if (input.type !== 'alarm.resolved') return;
    const id = episodeId(input.kind, input.subject ?? null);
    const episode = ctx.state.episodes[id];
    if (!episode || (input.key !== undefined && input.key !== episode.key)) return;
    if (EVENT_KINDS.includes(episode.kind)) delete ctx.state.episodes[id];
    else episode.resolvedAt = ctx.now;
  },
};
