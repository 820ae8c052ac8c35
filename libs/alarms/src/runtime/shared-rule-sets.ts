import { deepFreeze, type RuleSet } from '@bedside/rules';

/** Distinct effective rule sets kept; past it the cache starts over (old versions pile up otherwise). */
const MAX_DISTINCT = 10_000;

/**
 * One frozen object per distinct effective rule set, shared by every bed that has those rules
 * (most beds of an organisation): a bed's rules were a private deep copy, a few KB per bed held
 * for as long as the hub runs. Frozen because it is shared: the engine only reads it.
 */
export class SharedRuleSets {
  private readonly byContent = new Map<string, RuleSet>();

  share(ruleSet: RuleSet): RuleSet {
    const key = JSON.stringify(ruleSet);
    let shared = this.byContent.get(key);
    if (!shared) {
      if (this.byContent.size >= MAX_DISTINCT) this.byContent.clear();
      shared = deepFreeze(ruleSet);
      this.byContent.set(key, shared);
    }
    return shared;
  }
}
