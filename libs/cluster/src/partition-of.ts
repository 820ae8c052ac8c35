import { createHash } from 'node:crypto';

/** Partition count when CLUSTER_PARTITIONS is not set; also what the migration starts with. */
export const DEFAULT_PARTITIONS = 64;

/**
 * The partition a bed belongs to: the first 32 bits of the MD5 of its id, modulo the partition
 * count. The database computes the same in SQL (bed_partition, migration 0011), so a bed's row
 * and any node agree without asking each other. MD5 here is a spreading function, not security.
 */
export function partitionOf(bedId: string, partitions: number = DEFAULT_PARTITIONS): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`bad partition count ${partitions}`);
  return createHash('md5').update(bedId).digest().readUInt32BE(0) % partitions;
}
