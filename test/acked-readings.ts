/**
 * The readings a hub acknowledged (PUBACK), by device, and which of them the database does not
 * hold: what "no acknowledged message is lost" is checked against. A reading is keyed by its
 * device and `ts`, as `telemetry_samples` is.
 */
export class AckedReadings {
  private readonly byDevice = new Map<string, Set<number>>();

  add(deviceId: string, ts: number): void {
    const set = this.byDevice.get(deviceId);
    if (set) set.add(ts);
    else this.byDevice.set(deviceId, new Set([ts]));
  }

  get count(): number {
    let n = 0;
    for (const set of this.byDevice.values()) n += set.size;
    return n;
  }

  /** `device@ts` of every acknowledged reading missing from telemetry_samples. */
  async missing(sql: <R extends Record<string, unknown>>(text: string, params?: unknown[]) => Promise<R[]>) {
    const rows = await sql<{ device_id: string; ms: string }>(
      'select device_id, (extract(epoch from ts) * 1000)::bigint::text as ms from telemetry_samples where device_id = any($1)',
      [[...this.byDevice.keys()]],
    );
    const stored = new Set(rows.map((r) => `${r.device_id}@${r.ms}`));
    return [...this.byDevice].flatMap(([id, tss]) => [...tss].map((ts) => `${id}@${ts}`).filter((k) => !stored.has(k)));
  }
}
