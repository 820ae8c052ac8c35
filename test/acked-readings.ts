import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';

/**
 * The readings a hub acknowledged (PUBACK), by device, and which of them the database does not
 * hold: what "no acknowledged message is lost" is checked against. A reading is keyed by its
 * device and `ts`, as `telemetry_samples` is.
 */
export class AckedReadings {
  private readonly byDevice = new Map<string, Set<number>>();

  /**
   * Publishes one in-bed reading of a mattress (QoS 1), stamped now, and records it once the
   * hub acknowledges it; resolves then, or when the client gives it up.
   */
  publish(client: MqttClient, deviceId: string, seq: number): Promise<void> {
    const ts = Date.now();
    const sample = { inBed: true, heartRate: 60 + (seq % 8), respirationRate: 14, signalQuality: 90 };
    return client
      .publishAsync(telemetryTopic(deviceId), JSON.stringify({ ts, seq, samples: [sample] }), { qos: 1 })
      .then(
        () => this.add(deviceId, ts),
        () => undefined,
      );
  }

  private add(deviceId: string, ts: number): void {
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
