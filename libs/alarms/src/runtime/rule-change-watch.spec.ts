import type { RuleScope } from '../persistence/rule-set.repository';
import { RuleChangeWatch } from './rule-change-watch';

function harness() {
  const log: { id: number; scope: RuleScope; scopeId: string }[] = [];
  const changed: (string[] | null)[] = [];
  const watch = new RuleChangeWatch({
    appendedAfter: (afterId) => {
      const rows = log.filter((r) => r.id > afterId);
      return Promise.resolve({ lastId: rows.at(-1)?.id ?? afterId, scopes: rows });
    },
    bedsOfOrganisation: (org) => Promise.resolve(org === 'org-1' ? ['bed-a', 'bed-b'] : []),
    changed: (ids) => {
      changed.push(ids);
      return Promise.resolve();
    },
    onError: (err) => {
      throw err;
    },
  });
  const append = (scope: RuleScope, scopeId: string) => log.push({ id: log.length + 1, scope, scopeId });
  return { watch, changed, append };
}

describe('RuleChangeWatch', () => {
  it('learns where the log ends first, then reports the beds each appended version covers', async () => {
    const h = harness();
    h.append('bed', 'bed-old');
    await h.watch.check();
    expect(h.changed).toEqual([]);
    h.append('bed', 'bed-z');
    h.append('organisation', 'org-1');
    await h.watch.check();
    expect(h.changed).toEqual([['bed-z', 'bed-a', 'bed-b']]);
    await h.watch.check();
    expect(h.changed).toHaveLength(1);
  });

  it('a new default rule set concerns every bed', async () => {
    const h = harness();
    await h.watch.check();
    h.append('default', 'default');
    await h.watch.check();
    expect(h.changed).toEqual([null]);
  });
});
