import { partitionOf, type FenceToken, type LeaseListener } from '@bedside/cluster';

/**
 * What a node must know to act for a bed: whether it may, and under which fence. An abstract
 * class so that it can be the injection token.
 */
export abstract class BedOwnership {
  /** True in clustered mode, where a bed's rule state has one owner node at a time. */
  abstract readonly clustered: boolean;
  /** How many partitions beds are spread over (1 in a single process). */
  abstract readonly partitionCount: number;
  /**
   * The token the bed's writes are fenced with; null when there is nothing to fence (one
   * process owns every bed); undefined when this node may not act for the bed now.
   */
  abstract tokenFor(bedId: string): FenceToken | null | undefined;
  abstract partitionOf(bedId: string): number;
  /** The token for a partition held at `epoch` (a handover writes its last states under it). */
  abstract token(partition: number, epoch: number): FenceToken | null;
  /** Told when a partition is gained or given up (never in single-process mode). */
  abstract listen(listener: LeaseListener): void;
  /** The partitions this node holds now. */
  abstract heldPartitions(): number[];
  /** The node that held the bed's partition at the last look (up to a lease tick old), if known. */
  abstract ownerNodeOf(bedId: string): string | undefined;
}

/** One process owns every bed: no partitions, nothing to fence. */
export class SingleProcessOwnership implements BedOwnership {
  readonly clustered = false;
  readonly partitionCount = 1;
  tokenFor(): null {
    return null;
  }
  partitionOf(): number {
    return 0;
  }
  token(): null {
    return null;
  }
  listen(): void {}
  heldPartitions(): number[] {
    return [];
  }
  ownerNodeOf(): undefined {
    return undefined;
  }
}

/** The part of LeaseManager ownership needs. */
export interface PartitionLeases {
  readonly nodeId: string;
  epochOf(partition: number): number | undefined;
  heldPartitions(): number[];
  ownerOf(partition: number): string | undefined;
  addListener(listener: LeaseListener): void;
}

/**
 * Clustered: a bed belongs to the node holding its partition's lease, at the lease's epoch.
 * The partition of a bed never changes, so it is computed once per bed (an MD5 per message
 * would be a visible cost on the hot path).
 */
export class PartitionOwnership implements BedOwnership {
  readonly clustered = true;
  private readonly partitions = new Map<string, number>();

  constructor(
    private readonly leases: PartitionLeases,
    private readonly count: number,
  ) {}

  get partitionCount(): number {
    return this.count;
  }

  tokenFor(bedId: string): FenceToken | undefined {
    const partition = this.partitionOf(bedId);
    const epoch = this.leases.epochOf(partition);
    return epoch === undefined ? undefined : { node: this.leases.nodeId, partition, epoch };
  }

  partitionOf(bedId: string): number {
    let p = this.partitions.get(bedId);
    if (p === undefined) {
      p = partitionOf(bedId, this.count);
      this.partitions.set(bedId, p);
    }
    return p;
  }

  token(partition: number, epoch: number): FenceToken {
    return { node: this.leases.nodeId, partition, epoch };
  }

  listen(listener: LeaseListener): void {
    this.leases.addListener(listener);
  }

  heldPartitions(): number[] {
    return this.leases.heldPartitions();
  }

  ownerNodeOf(bedId: string): string | undefined {
    return this.leases.ownerOf(this.partitionOf(bedId));
  }
}
