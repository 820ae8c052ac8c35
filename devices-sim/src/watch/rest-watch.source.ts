import type { DeviceKind } from '@bedside/contracts';
import type { HubRestClient } from '../hub/hub-rest.client';
import type { WatchSource, WatchTarget, WatchedMessage } from './watch-source';

interface DeviceView {
  id: string;
  kind: DeviceKind;
  bedId: string | null;
  status: {
    online: boolean;
    lastSeenAt: string | null;
    battery: number | null;
    rssi: number | null;
    firmware: string | null;
    statusAt: string | null;
  };
}
type Point = Record<string, unknown> & { seq: number; ts: number };
interface EventRow {
  eventId: string;
  type: string;
  ts: string;
  receivedAt: string;
  seq: number | string | null;
  confidence: number | null;
}

const IDENTITY = new Set(['deviceId', 'bedId', 'kind', 'seq']);
const AHEAD_MS = 10 * 60_000; // device clocks running fast still show up

/**
 * Polls GET /api/devices/:id, /telemetry and /events every `intervalMs` with a moving `from`
 * (device time), rebuilding the messages the device sent: telemetry samples grouped by `seq`,
 * events as sent, a status message whenever the stored status changes.
 */
export class RestWatchSource implements WatchSource {
  readonly name = 'rest-poll';
  private timer: NodeJS.Timeout | null = null;
  private telemetryFrom: number;
  private eventsFrom: number;
  private seenSeq = new Set<string>();
  private seenEvents = new Set<string>();
  private statusAt: string | null | undefined = undefined;

  constructor(
    private readonly api: HubRestClient,
    private readonly deviceId: string,
    private readonly intervalMs = 1000,
    sinceMs = 10_000,
  ) {
    this.telemetryFrom = this.eventsFrom = Date.now() - sinceMs;
  }

  async start(onMessage: (m: WatchedMessage) => void, onError: (err: Error) => void): Promise<WatchTarget> {
    const device = await this.api.get<DeviceView>(this.path());
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        for (const m of await this.poll()) onMessage(m);
      } catch (err) {
        onError(err as Error);
      } finally {
        busy = false;
      }
    };
    void tick();
    this.timer = setInterval(() => void tick(), this.intervalMs);
    return { deviceId: device.id, kind: device.kind, bedId: device.bedId };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private path(): string {
    return `/api/devices/${encodeURIComponent(this.deviceId)}`;
  }

  private range(from: number): string {
    return `from=${new Date(from).toISOString()}&to=${new Date(Date.now() + AHEAD_MS).toISOString()}&limit=1000`;
  }

  private async poll(): Promise<WatchedMessage[]> {
    const observedAt = Date.now();
    const [device, points, events] = await Promise.all([
      this.api.get<DeviceView>(this.path()),
      this.api.get<Point[]>(`${this.path()}/telemetry?${this.range(this.telemetryFrom)}`),
      this.api.get<EventRow[]>(`${this.path()}/events?${this.range(this.eventsFrom)}`),
    ]);
    const out: WatchedMessage[] = [];
    if (this.statusAt !== undefined && device.status.statusAt && device.status.statusAt !== this.statusAt) {
      const s = device.status;
      const body = {
        state: s.online ? 'online' : 'offline',
        ...(s.firmware !== null && { firmware: s.firmware }),
        ...(s.battery !== null && { battery: s.battery }),
        ...(s.rssi !== null && { rssi: s.rssi }),
      };
      out.push({ channel: 'status', body, seq: null, deviceTs: null, receivedAt: Date.parse(s.statusAt!), observedAt });
    }
    this.statusAt = device.status.statusAt;

    const bySeq = new Map<number, Point[]>();
    for (const p of points) {
      const key = `${p.seq}:${p.ts}`;
      if (this.seenSeq.has(key)) continue;
      this.seenSeq.add(key);
      const seq = Number(p.seq);
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), p]);
      this.telemetryFrom = Math.max(this.telemetryFrom, Number(p.ts) + 1);
    }
    for (const [seq, group] of [...bySeq].sort((a, b) => a[0] - b[0])) {
      const samples = group.map((p) =>
        Object.fromEntries(Object.entries(p).filter(([k, v]) => !IDENTITY.has(k) && v !== null)),
      );
      const ts = Math.min(...group.map((p) => Number(p.ts)));
      out.push({ channel: 'telemetry', body: { ts, seq, samples }, seq, deviceTs: ts, receivedAt: null, observedAt });
    }
    for (const e of events) {
      if (this.seenEvents.has(e.eventId)) continue;
      this.seenEvents.add(e.eventId);
      const ts = Date.parse(e.ts);
      this.eventsFrom = Math.max(this.eventsFrom, ts + 1);
      const seq = e.seq === null ? null : Number(e.seq);
      const body = {
        eventId: e.eventId,
        type: e.type,
        ts,
        ...(seq !== null && { seq }),
        ...(e.confidence !== null && { confidence: e.confidence }),
      };
      out.push({ channel: 'events', body, seq, deviceTs: ts, receivedAt: Date.parse(e.receivedAt), observedAt });
    }
    return out;
  }
}
