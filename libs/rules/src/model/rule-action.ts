import type { RuleKind } from './rule-kind';
import type { Severity } from './severity';

export type DetailValue = string | number | boolean | null;
export type ActionDetails = Record<string, DetailValue>;

interface ActionBase {
  bedId: string;
  kind: RuleKind;
  /** Device id for device-scoped kinds, else null. */
  subject: string | null;
  /** Stable for one episode: the same episode always yields the same key, so a replay can be deduplicated. */
  key: string;
  /** Evaluation time of the action (ms epoch). */
  at: number;
  /** Produced for an episode that began under a maintenance silence: record it, do not alert. */
  suppressed: boolean;
  /** Machine-readable reason, e.g. `heart_rate_high`. */
  reason: string;
  /** Short English text for logs; the console localises from `reason` + `details`. */
  message: string;
  details: ActionDetails;
}

export interface RaiseAction extends ActionBase {
  type: 'raise';
  severity: Severity;
  /** When the episode began (condition went pending, device went silent, button was pressed). */
  startedAt: number;
}

export interface UpdateAction extends ActionBase {
  type: 'update';
  severity: Severity;
  previousSeverity: Severity;
  /** Repeats after the first occurrence (0 at raise). */
  repeatCount: number;
}

export interface ClearAction extends ActionBase {
  type: 'clear';
}

/** The resident cancelled on the device. Recorded, never hidden; `raised` says whether an alarm exists. */
export interface CancelledAction extends ActionBase {
  type: 'cancelled';
  raised: boolean;
}

/**
 * Readings that would have been abnormal were not used (sensor settling, motion, poor signal, an
 * implausible jump, a late sample), or a pending condition ended unknown at a gap in the samples.
 * Journal only: no alarm. One per run of such readings (`subject` = device, `startedAt` = first one).
 */
export interface IgnoredAction extends ActionBase {
  type: 'ignored';
  startedAt: number;
}

export type RuleAction = RaiseAction | UpdateAction | ClearAction | CancelledAction | IgnoredAction;
