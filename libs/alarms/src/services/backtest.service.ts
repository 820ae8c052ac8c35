import { Injectable } from '@nestjs/common';
import { DomainError } from '@bedside/common';
import { TelemetryStore } from '@bedside/telemetry';
import {
  backtest,
  initialBedState,
  resolveRuleSet,
  type BacktestAlarm,
  type BacktestIgnored,
  type RuleSetOverride,
  type TimedInput,
} from '@bedside/rules';
import { BedContextRepository } from '../persistence/bed-context.repository';
import { RuleSetRepository } from '../persistence/rule-set.repository';
import { eventInput, telemetryInput } from '../runtime/input-mapper';

export interface BacktestReport {
  bedId: string;
  from: string;
  to: string;
  inputs: { telemetry: number; events: number };
  alarms: (Omit<BacktestAlarm, 'startedAt' | 'raisedAt' | 'clearedAt' | 'cancelledAt'> & {
    startedAt: string;
    raisedAt: string;
    clearedAt: string | null;
    cancelledAt: string | null;
  })[];
  /** Runs of readings not used (artefacts, late samples) and pending conditions dropped at gaps: why no alarm. */
  ignored: (Omit<BacktestIgnored, 'startedAt' | 'at'> & { startedAt: string; at: string })[];
  actions: number;
  ticks: number;
}

const MAX_RANGE_MS = 31 * 24 * 3600_000;
const MAX_SAMPLES = 500_000;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * Replays a bed's stored telemetry and device events through a proposed rule set (the bed's
 * overrides replaced by `override`). Telemetry is timed by device ts, events by receive time;
 * vital-sign holds use each sample's ts, as live, so the verdict does not depend on upload timing.
 * Status history (Last Will) is not stored, so offline episodes come only from silence.
 */
@Injectable()
export class BacktestService {
  constructor(
    private readonly telemetry: TelemetryStore,
    private readonly beds: BedContextRepository,
    private readonly ruleSets: RuleSetRepository,
  ) {}

  async run(bedId: string, from: number, to: number, override?: RuleSetOverride): Promise<BacktestReport> {
    if (!(from < to)) throw new DomainError('VALIDATION_FAILED', '`from` must be before `to`');
    if (to - from > MAX_RANGE_MS) throw new DomainError('VALIDATION_FAILED', 'backtest range is limited to 31 days');
    const ctx = await this.beds.get(bedId);
    const org = await this.ruleSets.latest('organisation', ctx.organisationId);
    const bed = override ? null : await this.ruleSets.latest('bed', bedId);
    const check = resolveRuleSet([org?.body, { timeZone: ctx.timeZone }, override ?? bed?.body]);
    if (!check.ok)
      throw new DomainError(
        'VALIDATION_FAILED',
        `invalid rule override: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        { errors: check.errors },
      );

    const points = await this.telemetry.query({ bedId, from, to, limit: MAX_SAMPLES });
    const events = await this.beds.eventsReceivedBetween(bedId, from, to);
    const inputs: TimedInput[] = [
      ...points.map((p) => ({ at: p.ts, input: telemetryInput(p) })),
      ...events.map((e) => ({ at: e.receivedAt, input: eventInput(e) })),
    ].sort((a, b) => a.at - b.at);
    const devices = ctx.devices.map((d) => ({ id: d.id, kind: d.kind, lastSeenAt: from }));
    const result = backtest(check.ruleSet, inputs, {
      bedId,
      initialState: initialBedState(bedId, { devices }),
      until: to,
    });
    return {
      bedId,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      inputs: { telemetry: points.length, events: events.length },
      alarms: result.alarms.map((a) => ({
        ...a,
        startedAt: iso(a.startedAt)!,
        raisedAt: iso(a.raisedAt)!,
        clearedAt: iso(a.clearedAt),
        cancelledAt: iso(a.cancelledAt),
      })),
      ignored: result.ignored.map((i) => ({ ...i, startedAt: iso(i.startedAt)!, at: iso(i.at)! })),
      actions: result.actions.length,
      ticks: result.ticks,
    };
  }
}
