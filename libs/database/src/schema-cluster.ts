import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './schema';

export interface ClusterConfigTable {
  id: Generated<boolean>;
  partitions: number;
}

export interface ClusterNodesTable {
  node_id: string;
  lock_key: number;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  draining: Generated<boolean>;
}

export interface PartitionLeasesTable {
  partition: number;
  /** Null: released, free to claim. */
  owner_node: string | null;
  /** Fencing token: +1 at every claim; a write checks it inside its transaction. */
  epoch: ColumnType<number, number | undefined, number>;
  expires_at: Timestamp;
  claimed_at: Timestamp | null;
}

export interface DeviceSessionsTable {
  device_id: string;
  node_id: string;
  connected_at: Timestamp;
}

declare module './schema' {
  interface BedsTable {
    /** Set by the database on insert (bed_partition), from cluster_config.partitions. */
    partition: Generated<number>;
  }
  interface DB {
    cluster_config: ClusterConfigTable;
    cluster_nodes: ClusterNodesTable;
    partition_leases: PartitionLeasesTable;
    device_sessions: DeviceSessionsTable;
  }
}
