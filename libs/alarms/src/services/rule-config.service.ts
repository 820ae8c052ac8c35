import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError } from '@bedside/common';
import { DEFAULT_RULE_SET, resolveRuleSet, type RuleSet, type RuleSetOverride } from '@bedside/rules';
import { BedContextRepository } from '../persistence/bed-context.repository';
import { RuleSetRepository, type RuleScope, type RuleSetVersion } from '../persistence/rule-set.repository';

export interface EffectiveRuleSet {
  ruleSet: RuleSet;
  /** Versions in force per layer (0 = none); the household's time zone sits between organisation and bed. */
  layers: { organisation: number; bed: number; timeZone: string };
}

/**
 * Rules are data: defaults <- organisation <- household time zone <- bed, each override versioned
 * with author and time. Validation runs on the merged result, so an override is judged in context.
 */
@Injectable()
export class RuleConfigService {
  private readonly log = new Logger('Rules');

  constructor(
    private readonly repo: RuleSetRepository,
    private readonly beds: BedContextRepository,
    private readonly clock: Clock,
  ) {}

  defaults(): RuleSet {
    return DEFAULT_RULE_SET;
  }

  async current(scope: RuleScope, scopeId: string): Promise<RuleSetVersion> {
    return (
      (await this.repo.latest(scope, scopeId)) ?? {
        scope,
        scopeId,
        version: 0,
        body: {},
        author: 'system',
        createdAt: new Date(0).toISOString(),
      }
    );
  }

  history(scope: RuleScope, scopeId: string): Promise<RuleSetVersion[]> {
    return this.repo.history(scope, scopeId);
  }

  async put(scope: 'organisation' | 'bed', scopeId: string, body: unknown, author: string): Promise<RuleSetVersion> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new DomainError('VALIDATION_FAILED', 'rule override must be a JSON object');
    const override = body as RuleSetOverride;
    const check = scope === 'bed' ? await this.resolve(scopeId, { bed: override }) : resolveRuleSet([override]);
    if (!check.ok)
      throw new DomainError(
        'VALIDATION_FAILED',
        `invalid rule override: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        { errors: check.errors },
      );
    return this.repo.append(scope, scopeId, override, author, this.clock.now());
  }

  async effective(bedId: string): Promise<EffectiveRuleSet> {
    const r = await this.resolveWithLayers(bedId);
    if (r.check.ok) return { ruleSet: r.check.ruleSet, layers: r.layers };
    // Overrides are validated when written; this only happens if defaults changed under them. Never stop alerting.
    this.log.error({ msg: 'stored rule overrides no longer valid; using defaults', bedId, errors: r.check.errors });
    return { ruleSet: { ...structuredClone(DEFAULT_RULE_SET), timeZone: r.layers.timeZone }, layers: r.layers };
  }

  private async resolve(bedId: string, replace: { bed?: RuleSetOverride }) {
    return (await this.resolveWithLayers(bedId, replace)).check;
  }

  private async resolveWithLayers(bedId: string, replace: { bed?: RuleSetOverride } = {}) {
    const ctx = await this.beds.get(bedId);
    const org = await this.repo.latest('organisation', ctx.organisationId);
    const bed = replace.bed ? null : await this.repo.latest('bed', bedId);
    const check = resolveRuleSet([org?.body, { timeZone: ctx.timeZone }, replace.bed ?? bed?.body]);
    return { check, layers: { organisation: org?.version ?? 0, bed: bed?.version ?? 0, timeZone: ctx.timeZone } };
  }
}
