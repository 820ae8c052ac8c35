import { DatabasePeerView, FRESH_MS, HEARD_MS, SELF_STALE_MS, freshAnswer } from './database-peer-view';

describe('DatabasePeerView', () => {
  it('is cut off alone only without answers of its own while another node has fresh ones', () => {
    const view = new DatabasePeerView('hub-a');
    const t = 100_000;
    view.heard('hub-b', true, t);
    expect(view.cutOffAlone(t - SELF_STALE_MS, t)).toBe(false); // its own answers are recent enough
    expect(view.cutOffAlone(t - SELF_STALE_MS - 1, t)).toBe(true);
    expect(view.cutOffAlone(-Infinity, t + HEARD_MS + 1)).toBe(false); // hub-b has not said it again
  });

  it('an outage of the database itself is nobody alone’s: the words said before it began run out first', () => {
    const view = new DatabasePeerView('hub-a');
    const outage = 100_000; // the last answer anyone had
    // hub-b's last word that its answers were fresh, as late as it can come:
    const lastFresh = outage + FRESH_MS;
    expect(freshAnswer(outage, lastFresh)).toBe(true);
    expect(freshAnswer(outage, lastFresh + 1)).toBe(false);
    view.heard('hub-b', true, lastFresh);
    for (let now = outage; now <= outage + 10_000; now += 100) expect(view.cutOffAlone(outage, now)).toBe(false);
  });

  it('takes the latest word of each node, and never its own', () => {
    const view = new DatabasePeerView('hub-a');
    view.heard('hub-a', true, 10_000);
    expect(view.cutOffAlone(-Infinity, 10_000)).toBe(false);
    view.heard('hub-b', true, 10_000);
    view.heard('hub-b', false, 10_500);
    expect(view.cutOffAlone(-Infinity, 10_600)).toBe(false);
  });
});
