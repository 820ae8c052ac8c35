import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import { EnvDto } from '@bedside/config';
import { Database, DatabaseHealth } from '@bedside/database';
import type { DeviceStatusDto, ErrorCode } from '@bedside/contracts';

/**
 * Rejection messages quote device input (field names): text PostgreSQL cannot hold (U+0000,
 * an unpaired surrogate) would fail the whole flush, every device's counts with it.
 */
export function storableText(text: string): string {
  return text
    .replaceAll('\u0000', '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

interface Rejection {
  count: number;
  lastAt: number;
  lastMessage: string;
}

/**
 * Device liveness and battery kept in memory on the hot path and written in one statement every
 * few seconds: an UPDATE per message would cost more than storing the message itself.
 * Status messages and connection changes are rarer and written through at once.
 *
 * The stored last-seen instant of a connected device trails by up to DEVICE_LAST_SEEN_RESOLUTION_MS
 * (a disconnect, a status message and shutdown write it exactly). Rewriting every device's row
 * every flush was a 10,000-row UPDATE every two seconds at 10,000 beds, ~190 ms of PostgreSQL
 * each, and device events waited behind it; the rules keep their own exact instants in memory.
 */
@Injectable()
export class DeviceStateRepository implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('DeviceState');
  /**
   * One entry per device, updated in place: a fresh Map every flush meant 10,000 inserts and
   * rehashes every two seconds on the hot path. `saved` is what the database has.
   */
  private readonly lastSeen = new Map<string, { at: number; saved: number }>();
  private battery = new Map<string, number>();
  private rejections = new Map<string, Map<ErrorCode, Rejection>>();
  private timer: NodeJS.Timeout | null = null;
  static readonly FLUSH_MS = 2000;
  private readonly resolutionMs: number;

  constructor(
    private readonly database: Database,
    private readonly health: DatabaseHealth,
    env: EnvDto,
  ) {
    this.resolutionMs = env.DEVICE_LAST_SEEN_RESOLUTION_MS;
  }

  onModuleInit(): void {
    this.timer = setInterval(
      () =>
        void this.flush().catch((err) => {
          if (!this.health.unavailable('device state', err))
            this.log.error({ msg: 'device state flush failed', err: (err as Error).message });
        }),
      DeviceStateRepository.FLUSH_MS,
    );
    this.timer.unref();
  }

  /** The final flush is IngestService's, after the last messages are stored. */
  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  seen(deviceId: string, at: number): void {
    const entry = this.lastSeen.get(deviceId);
    if (entry) entry.at = at;
    else this.lastSeen.set(deviceId, { at, saved: Number.NEGATIVE_INFINITY });
  }

  /** `count` messages rejected with `code` (a flood's refusals are recorded a read at a time). */
  rejected(deviceId: string, code: ErrorCode, message: string, at: number, count = 1): void {
    let byCode = this.rejections.get(deviceId);
    if (!byCode) this.rejections.set(deviceId, (byCode = new Map<ErrorCode, Rejection>()));
    const r = byCode.get(code) ?? { count: 0, lastAt: at, lastMessage: message };
    r.count += count;
    r.lastAt = at;
    r.lastMessage = storableText(message.slice(0, 1000));
    byCode.set(code, r);
  }

  async setStatus(deviceId: string, status: DeviceStatusDto, at: number): Promise<void> {
    await this.database.db
      .updateTable('devices')
      .set({
        online: status.state === 'online',
        status_at: new Date(at),
        last_seen_at: new Date(at),
        ...(status.battery !== undefined && { battery: status.battery }),
        ...(status.rssi !== undefined && { rssi: status.rssi }),
        ...(status.firmware !== undefined && { reported_firmware: status.firmware }),
      })
      .where('id', '=', deviceId)
      .execute();
  }

  async setOnline(deviceId: string, online: boolean, at: number): Promise<void> {
    await this.database.db
      .updateTable('devices')
      .set({ online, last_seen_at: new Date(at) })
      .where('id', '=', deviceId)
      .execute();
  }

  /** The latest battery level from telemetry; written with the next flush. */
  batteryReported(deviceId: string, battery: number): void {
    this.battery.set(deviceId, battery);
  }

  async rejectionsOf(deviceId: string) {
    await this.flush();
    const rows = await this.database.db
      .selectFrom('device_rejections')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('code')
      .execute();
    return rows.map((r) => ({ code: r.code, count: Number(r.count), lastAt: r.last_at, lastMessage: r.last_message }));
  }

  /** `exact`: every newer last-seen instant, not only those past the resolution (shutdown). */
  async flush(exact = false): Promise<void> {
    const dirty: [string, number][] = [];
    const resolution = exact ? 0 : this.resolutionMs;
    for (const [id, e] of this.lastSeen) if (e.at > e.saved && e.at - e.saved >= resolution) dirty.push([id, e.at]);
    const battery = this.battery;
    const rejections = this.rejections;
    this.battery = new Map();
    this.rejections = new Map();
    if (dirty.length > 0) {
      const ids = dirty.map(([id]) => id);
      const times = dirty.map(([, at]) => new Date(at).toISOString());
      await sql`update devices d set last_seen_at = greatest(d.last_seen_at, v.at)
        from (select unnest(${ids}::text[]) as id, unnest(${times}::timestamptz[]) as at) v
        where d.id = v.id`.execute(this.database.db);
      for (const [id, at] of dirty) {
        const e = this.lastSeen.get(id)!;
        e.saved = Math.max(e.saved, at);
      }
    }
    if (battery.size > 0) {
      const ids = [...battery.keys()];
      const levels = ids.map((id) => battery.get(id)!);
      await sql`update devices d set battery = v.level
        from (select unnest(${ids}::text[]) as id, unnest(${levels}::real[]) as level) v
        where d.id = v.id`.execute(this.database.db);
    }
    const rows = [...rejections].flatMap(([deviceId, byCode]) =>
      [...byCode].map(([code, r]) => ({
        device_id: deviceId,
        code,
        count: r.count,
        last_at: new Date(r.lastAt),
        last_message: r.lastMessage,
      })),
    );
    if (rows.length > 0) {
      try {
        await this.database.db
          .insertInto('device_rejections')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['device_id', 'code']).doUpdateSet({
              count: sql`device_rejections.count + excluded.count`,
              last_at: sql`excluded.last_at`,
              last_message: sql`excluded.last_message`,
            }),
          )
          .execute();
      } catch (err) {
        this.keepForNextFlush(rejections);
        throw err;
      }
    }
  }

  /** Counts a failed flush could not write are added back, not lost. */
  private keepForNextFlush(unsaved: Map<string, Map<ErrorCode, Rejection>>): void {
    for (const [deviceId, byCode] of unsaved) {
      for (const [code, r] of byCode) {
        let now = this.rejections.get(deviceId);
        if (!now) this.rejections.set(deviceId, (now = new Map<ErrorCode, Rejection>()));
        const later = now.get(code);
        now.set(
          code,
          later ? { count: later.count + r.count, lastAt: later.lastAt, lastMessage: later.lastMessage } : r,
        );
      }
    }
  }
}
