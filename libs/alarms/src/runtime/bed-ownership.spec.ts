import { partitionOf } from '@bedside/cluster';
import { PartitionOwnership, SingleProcessOwnership, type PartitionLeases } from './bed-ownership';

describe('bed ownership', () => {
  it('single process: every bed is this node’s, with nothing to fence', () => {
    const own = new SingleProcessOwnership();
    expect(own.clustered).toBe(false);
    expect(own.tokenFor()).toBeNull();
  });

  it('clustered: a bed is this node’s while its partition lease is held, fenced at the lease epoch', () => {
    const epochs = new Map<number, number>();
    const leases: PartitionLeases = {
      nodeId: 'hub-a',
      epochOf: (p) => epochs.get(p),
      heldPartitions: () => [...epochs.keys()],
      ownerOf: (p) => (epochs.has(p) ? 'hub-a' : 'hub-b'),
      addListener: () => undefined,
    };
    const own = new PartitionOwnership(leases, 16);
    const p = partitionOf('bed-42', 16);
    expect(own.partitionOf('bed-42')).toBe(p);
    expect(own.tokenFor('bed-42')).toBeUndefined();
    epochs.set(p, 7);
    expect(own.tokenFor('bed-42')).toEqual({ node: 'hub-a', partition: p, epoch: 7 });
    expect(own.ownerNodeOf('bed-42')).toBe('hub-a');
    epochs.delete(p);
    expect(own.tokenFor('bed-42')).toBeUndefined();
    // Readings for it now go to the node that held it at the last lease tick.
    expect(own.ownerNodeOf('bed-42')).toBe('hub-b');
  });
});
