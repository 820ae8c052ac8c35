import { DatabasePeerView } from './database-peer-view';

describe('DatabasePeerView', () => {
  it('says others reach the database while another node said so recently', () => {
    const view = new DatabasePeerView('hub-a', 3000);
    expect(view.othersReachIt(0)).toBe(false); // nobody heard: nothing known
    view.heard('hub-b', false, 0);
    expect(view.othersReachIt(0)).toBe(false);
    view.heard('hub-c', true, 1000);
    expect(view.othersReachIt(4000)).toBe(true);
    expect(view.othersReachIt(4001)).toBe(false); // hub-c has not said it again since
  });

  it('takes the latest word of each node, and never its own', () => {
    const view = new DatabasePeerView('hub-a', 3000);
    view.heard('hub-a', true, 0);
    expect(view.othersReachIt(0)).toBe(false);
    view.heard('hub-b', true, 0);
    view.heard('hub-b', false, 500);
    expect(view.othersReachIt(600)).toBe(false);
  });
});
