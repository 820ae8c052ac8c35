/** Anything that runs a query the way pg's Client and Pool do. */
interface Queryable {
  query<R extends Record<string, unknown>>(text: string): Promise<{ rows: R[] }>;
}

/** Partitions per lease owner ('none' for released ones), read from a cluster's PostgreSQL. */
export async function partitionSplit(db: Queryable): Promise<Record<string, number>> {
  const r = await db.query<{ owner: string | null; n: number }>(
    'select owner_node as owner, count(*)::int as n from partition_leases group by owner_node',
  );
  return Object.fromEntries(r.rows.map((x) => [x.owner ?? 'none', x.n]));
}
