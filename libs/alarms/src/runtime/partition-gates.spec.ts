import { PartitionGates } from './partition-gates';

const tick = () => new Promise((r) => setImmediate(r));

describe('PartitionGates', () => {
  it('holds work for a gained partition until its recovery run has finished', async () => {
    let finish!: () => void;
    const runs: number[][] = [];
    const gates = new PartitionGates((partitions) => {
      runs.push(partitions);
      return new Promise<void>((r) => (finish = r));
    });
    gates.close(3);
    const gate = gates.of(3)!;
    expect(gate).toBeDefined();
    expect(gates.of(4)).toBeUndefined();
    let opened = false;
    void gate.then(() => (opened = true));
    await tick();
    expect(runs).toEqual([[3]]);
    expect(opened).toBe(false);
    finish();
    await gate;
    expect(opened).toBe(true);
    expect(gates.of(3)).toBeUndefined();
    expect(gates.closed).toBe(0);
  });

  it('recovers the partitions gained in one lease round in one run', async () => {
    const runs: number[][] = [];
    const gates = new PartitionGates(async (partitions) => {
      runs.push([...partitions]);
    });
    gates.close(1);
    gates.close(2);
    gates.close(5);
    expect(gates.closed).toBe(3);
    await gates.settled();
    expect(runs).toEqual([[1, 2, 5]]);
    gates.close(7);
    await gates.settled();
    expect(runs).toEqual([[1, 2, 5], [7]]);
  });

  it('opens the gate even when the recovery run fails', async () => {
    const gates = new PartitionGates(() => Promise.reject(new Error('database down')));
    gates.close(0);
    await expect(gates.of(0)).resolves.toBeUndefined();
    expect(gates.closed).toBe(0);
  });
});
