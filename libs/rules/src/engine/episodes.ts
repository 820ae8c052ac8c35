import type { Episode } from '../model/bed-state';
import type { ActionDetails } from '../model/rule-action';
import type { RuleKind } from '../model/rule-kind';
import { compareSeverity, type Severity } from '../model/severity';
import { isSilenced, type EvalContext } from './eval-context';
import { nameCache } from './name-cache';

/** Why an action happened: machine reason, short English message, observed values. */
export interface Finding {
  reason: string;
  message: string;
  details: ActionDetails;
}

const subjectIds = new Map<RuleKind, (subject: string) => string>();

export function episodeId(kind: RuleKind, subject: string | null): string {
  if (subject === null) return kind;
  let ids = subjectIds.get(kind);
  if (!ids) subjectIds.set(kind, (ids = nameCache((s) => `${kind}:${s}`)));
  return ids(subject);
}

/**
 * Derived only from the bed, kind, subject and the episode's start (a time taken from the inputs), so
 * re-evaluating the same inputs from a restored state yields the same key and the caller can dedupe.
 */
export function episodeKey(bedId: string, kind: RuleKind, subject: string | null, startedAt: number): string {
  return `${bedId}:${episodeId(kind, subject)}:${startedAt}`;
}

export function getEpisode(ctx: EvalContext, kind: RuleKind, subject: string | null = null): Episode | undefined {
  const episodes = ctx.state.episodes;
  // Most beds have no open episode: answer without building the id (device rules ask per device, per sample).
  for (const _ in episodes) return episodes[episodeId(kind, subject)];
  return undefined;
}

export function raiseEpisode(
  ctx: EvalContext,
  kind: RuleKind,
  subject: string | null,
  severity: Severity,
  startedAt: number,
  finding: Finding,
): Episode {
  const episode: Episode = {
    kind,
    subject,
    key: episodeKey(ctx.state.bedId, kind, subject, startedAt),
    startedAt,
    raisedAt: ctx.now,
    severity,
    repeatCount: 0,
    repeatedFrom: null,
    suppressed: isSilenced(ctx, kind),
    resolvedAt: null,
    cancelledAt: null,
  };
  ctx.state.episodes[episodeId(kind, subject)] = episode;
  ctx.actions.push({ type: 'raise', ...base(ctx, episode), severity, startedAt, ...finding });
  return episode;
}

/** A repeat and/or a severity upgrade of an open episode. Severity never goes down within an episode. */
export function updateEpisode(
  ctx: EvalContext,
  episode: Episode,
  change: { severity?: Severity; repeat?: boolean },
  finding: Finding,
): void {
  const previousSeverity = episode.severity;
  if (change.severity && compareSeverity(change.severity, episode.severity) > 0) episode.severity = change.severity;
  if (change.repeat) episode.repeatCount += 1;
  ctx.actions.push({
    type: 'update',
    ...base(ctx, episode),
    severity: episode.severity,
    previousSeverity,
    repeatCount: episode.repeatCount,
    ...finding,
  });
}

/** The condition went away. An episode already resolved by an operator just ends, silently. */
export function clearEpisode(ctx: EvalContext, episode: Episode, finding: Finding): void {
  delete ctx.state.episodes[episodeId(episode.kind, episode.subject)];
  if (episode.resolvedAt === null) ctx.actions.push({ type: 'clear', ...base(ctx, episode), ...finding });
}

export function cancelEpisode(ctx: EvalContext, episode: Episode, finding: Finding): void {
  episode.cancelledAt = ctx.now;
  ctx.actions.push({ type: 'cancelled', ...base(ctx, episode), raised: true, ...finding });
}

/** A cancel before any alarm was raised (fall inside its cancel window): still recorded. */
export function recordUnraisedCancel(
  ctx: EvalContext,
  kind: RuleKind,
  subject: string | null,
  startedAt: number,
  finding: Finding,
): void {
  ctx.actions.push({
    type: 'cancelled',
    bedId: ctx.state.bedId,
    kind,
    subject,
    key: episodeKey(ctx.state.bedId, kind, subject, startedAt),
    at: ctx.now,
    suppressed: isSilenced(ctx, kind),
    raised: false,
    ...finding,
  });
}

function base(ctx: EvalContext, episode: Episode) {
  return {
    bedId: ctx.state.bedId,
    kind: episode.kind,
    subject: episode.subject,
    key: episode.key,
    at: ctx.now,
    suppressed: episode.suppressed,
  };
}

/**
 * Journal entry for readings not used (or a pending condition dropped at a gap): no alarm, no episode.
 * `subject` is the device; the key is deterministic (kind, device, first reading's time, reason).
 */
export function recordIgnored(
  ctx: EvalContext,
  kind: RuleKind,
  deviceId: string,
  startedAt: number,
  finding: Finding,
): void {
  ctx.actions.push({
    type: 'ignored',
    bedId: ctx.state.bedId,
    kind,
    subject: deviceId,
    key: `${episodeKey(ctx.state.bedId, kind, deviceId, startedAt)}:${finding.reason}`,
    at: ctx.now,
    suppressed: false,
    startedAt,
    ...finding,
  });
}
