import { DomainError } from '@bedside/common';
import type { DB } from '@bedside/database';
import { sql, type Kysely } from 'kysely';

export interface FenceToken {
  node: string;
  partition: number;
  epoch: number;
}

/**
 * Call inside a write transaction before its writes: refuses (PARTITION_FENCED) unless the
 * lease row still names this node at this epoch. FOR SHARE holds the row until the transaction
 * ends, and a claim must update it, so a takeover either happened before (this throws) or waits
 * for this transaction to end (skips the row, claims it on a later tick): a former owner that
 * froze or lost its database connection can never write after its successor started.
 */
export async function assertPartitionEpoch(trx: Kysely<DB>, token: FenceToken): Promise<void> {
  const r = await sql<{ owner_node: string | null; epoch: number }>`
    select owner_node, epoch from partition_leases where partition = ${token.partition} for share`.execute(trx);
  const row = r.rows[0];
  if (!row || row.owner_node !== token.node || Number(row.epoch) !== token.epoch) {
    throw new DomainError(
      'PARTITION_FENCED',
      `partition ${token.partition} is no longer held at epoch ${token.epoch}`,
      {
        partition: token.partition,
        epoch: token.epoch,
        currentEpoch: row ? Number(row.epoch) : null,
        currentOwner: row?.owner_node ?? null,
      },
    );
  }
}

/** The write was refused because another node now holds the partition. */
export function isFenced(err: unknown): boolean {
  return err instanceof DomainError && err.code === 'PARTITION_FENCED';
}
