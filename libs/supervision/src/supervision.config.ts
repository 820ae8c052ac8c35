import type { EnvDto } from '@bedside/config';
import { DEFAULT_POLICY_LEAD_MS } from './visits/domain/visit-planner';

/** Visit planner settings: timing from the validated environment, the rest at documented defaults. */
export class SupervisionConfig {
  constructor(
    readonly sweepMs: number,
    readonly deviationDueMs: number,
    readonly policyLeadMs = DEFAULT_POLICY_LEAD_MS,
    /** Flagged nights older than this plan no visit: the planner acts on the present, not on history. */
    readonly deviationLookbackMs = 3 * 86_400_000,
    /** Overdue visits flagged per sweep; the rest follow on the next. */
    readonly overduePerSweep = 1_000,
  ) {}

  static fromEnv(env: EnvDto): SupervisionConfig {
    return new SupervisionConfig(env.VISITS_SWEEP_MS, env.VISIT_DEVIATION_DUE_HOURS * 3_600_000);
  }
}
