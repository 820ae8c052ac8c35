import { Injectable, Optional } from '@nestjs/common';
import { ClusterBus, type BusMessage } from '@bedside/cluster';
import type { DeviceStatusChange, StoredDeviceEvent } from '@bedside/ingest';
import type { DeviceAccessChange } from '@bedside/registry';
import type { TelemetryPoint } from '@bedside/telemetry';
import { BedOwnership } from './bed-ownership';

/** What a node that is not a bed's owner passes on to the owner. */
export type BedInputMessage =
  | (BusMessage & { kind: 'bed.telemetry'; points: TelemetryPoint[] })
  | (BusMessage & { kind: 'bed.event'; event: StoredDeviceEvent })
  | (BusMessage & { kind: 'bed.status'; change: DeviceStatusChange })
  | (BusMessage & { kind: 'bed.access'; change: DeviceAccessChange })
  | (BusMessage & { kind: 'bed.rules'; bedIds: string[] | null });

/**
 * Clustered: the fast path from the node that received a device's input to the owner of its
 * bed, on core NATS. It may drop a message (no connection, a node restarting): stored events
 * are read again from PostgreSQL by the owner (PartitionEventRepair), and a lost reading is
 * superseded by the next one. The owner subscribes to the partitions it holds, only while it
 * holds them.
 */
@Injectable()
export class PartitionFastPath {
  private readonly subscriptions = new Map<number, () => void>();
  private receive: ((m: BedInputMessage) => void) | null = null;
  private unsubscribeNode: (() => void) | null = null;

  constructor(
    private readonly ownership: BedOwnership,
    @Optional() private readonly bus?: ClusterBus,
  ) {}

  /** Delivers what other nodes send for the partitions this node holds. */
  attach(receive: (m: BedInputMessage) => void): void {
    this.receive = receive;
    // Batches addressed to this node (readings grouped per owner node).
    this.unsubscribeNode = this.bus?.subscribeNode<BedInputMessage>(this.bus.nodeId, (m) => this.receive?.(m)) ?? null;
    this.ownership.listen({
      acquired: (partition) => this.subscribe(partition),
      released: (partition) => this.unsubscribe(partition),
    });
  }

  send(partition: number, message: BedInputMessage): void {
    this.bus?.publishToPartition(partition, message);
  }

  /** To a node (a batch for the partitions it held at the last lease tick). */
  sendToNode(node: string, message: BedInputMessage): void {
    this.bus?.publishToNode(node, message);
  }

  detach(): void {
    this.unsubscribeNode?.();
    this.unsubscribeNode = null;
  }

  /** To every partition's owner (a change that concerns every bed). */
  sendToAll(message: BedInputMessage): void {
    for (let p = 0; p < this.ownership.partitionCount; p++) this.send(p, message);
  }

  private subscribe(partition: number): void {
    if (!this.bus || this.subscriptions.has(partition)) return;
    this.subscriptions.set(
      partition,
      this.bus.subscribePartition<BedInputMessage>(partition, (m) => this.receive?.(m)),
    );
  }

  private unsubscribe(partition: number): void {
    this.subscriptions.get(partition)?.();
    this.subscriptions.delete(partition);
  }
}
