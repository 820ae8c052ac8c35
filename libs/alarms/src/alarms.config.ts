import type { EnvDto } from '@bedside/config';
import type { AutoResolvePolicy, EscalationPolicy } from '@bedside/rules';
import { DEFAULT_AUTO_RESOLVE_POLICY } from '@bedside/rules';

/** Alarm engine settings, from the validated environment (ALARM_* in EnvDto). */
export class AlarmsConfig {
  constructor(
    readonly escalation: EscalationPolicy,
    readonly autoResolve: AutoResolvePolicy,
    /** Beds without a saved rule state replay device events stored this long before boot. */
    readonly adoptReplayMs: number,
    /** SSE heartbeat comment period. */
    readonly heartbeatMs: number,
    /** Set in clustered mode: nodes share one alarm log, its order held by a database lock. */
    readonly clusterNodeId: string | null = null,
  ) {}

  static fromEnv(env: EnvDto): AlarmsConfig {
    return new AlarmsConfig(
      {
        escalateAfterMs: env.ALARM_ESCALATE_AFTER_MS,
        repeatEveryMs: env.ALARM_ESCALATE_REPEAT_MS ?? env.ALARM_ESCALATE_AFTER_MS,
      },
      DEFAULT_AUTO_RESOLVE_POLICY,
      env.ALARM_ADOPT_REPLAY_MS,
      env.ALARM_SSE_HEARTBEAT_MS,
      env.CLUSTER_NODE_ID ?? null,
    );
  }
}
