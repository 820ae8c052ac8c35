import { readEventStream } from '../../../libs/testing/src/event-stream';
import { HubUnreachableError, isUnreachable } from '../cli/exit-codes';

/**
 * The call-centre alarm stream, in one place so it is easy to adapt while the alarms engine is
 * being built. Assumed contract: `GET /api/alarms/stream` (text/event-stream, admin Basic auth),
 * events named `alarm.raised` whose data is JSON {id, bedId, kind, severity, ...}. A hub that
 * answers 404 has no stream yet: callers report their alarm step as skipped, not passed.
 */
export const ALARM_STREAM_PATH = '/api/alarms/stream';
export const ALARM_RAISED_EVENT = 'alarm.raised';
export const NO_STREAM_REASON = 'hub has no alarm stream';

export interface RaisedAlarm {
  id: string;
  bedId: string | null;
  kind: string;
  severity: string;
  receivedAt: number;
  /** The device a device-scoped alarm (offline, battery) is about. */
  subject?: string | null;
  [key: string]: unknown;
}

export type AlarmStreamResult = { available: true; stream: AlarmStream } | { available: false; reason: string };

export class AlarmStream {
  readonly alarms: RaisedAlarm[] = [];
  private waiters: {
    pred: (a: RaisedAlarm) => boolean;
    resolve: (a: RaisedAlarm | null) => void;
    timer: NodeJS.Timeout;
  }[] = [];

  private listeners: ((a: RaisedAlarm) => void)[] = [];

  constructor(private readonly abort: AbortController) {}

  /** Called for every alarm.raised event from now on. */
  onAlarm(listener: (a: RaisedAlarm) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves with the first alarm (already received or future) matching `pred`, or null on timeout. */
  waitFor(pred: (a: RaisedAlarm) => boolean, timeoutMs: number): Promise<RaisedAlarm | null> {
    const seen = this.alarms.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = { pred, resolve, timer: setTimeout(() => this.settle(waiter, null), timeoutMs) };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.abort.abort();
    for (const w of [...this.waiters]) this.settle(w, null);
  }

  /** @internal fed by the SSE reader */
  push(alarm: RaisedAlarm): void {
    this.alarms.push(alarm);
    for (const l of this.listeners) l(alarm);
    for (const w of [...this.waiters]) if (w.pred(alarm)) this.settle(w, alarm);
  }

  private settle(w: (typeof this.waiters)[number], a: RaisedAlarm | null): void {
    clearTimeout(w.timer);
    this.waiters = this.waiters.filter((x) => x !== w);
    w.resolve(a);
  }
}

/** Opens the stream; `{available:false}` on 404 (or 501). Other HTTP errors throw. */
export async function openAlarmStream(hubUrl: string, authHeader: string | undefined): Promise<AlarmStreamResult> {
  const abort = new AbortController();
  let res: Response;
  try {
    res = await fetch(hubUrl + ALARM_STREAM_PATH, {
      headers: { accept: 'text/event-stream', ...(authHeader && { authorization: authHeader }) },
      signal: abort.signal,
    });
  } catch (err) {
    if (isUnreachable(err) || (err as Error).message === 'fetch failed')
      throw new HubUnreachableError(`alarm stream at ${hubUrl}`, err);
    throw err;
  }
  if (res.status === 404 || res.status === 501) {
    await res.body?.cancel().catch(() => undefined);
    return { available: false, reason: NO_STREAM_REASON };
  }
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    throw new Error(`GET ${ALARM_STREAM_PATH} answered ${res.status}: ${text.slice(0, 200)}`);
  }
  const stream = new AlarmStream(abort);
  void readEventStream(res.body, {
    onEvent: ({ event, data }) => {
      if (event !== ALARM_RAISED_EVENT) return;
      try {
        // The hub sends `data: {alarm: {...}, at}`; the alarm itself is what callers match on.
        const body = JSON.parse(data) as { alarm?: RaisedAlarm };
        if (body.alarm) stream.push({ ...body.alarm, receivedAt: Date.now() });
      } catch {
        /* ignore a malformed event */
      }
    },
  }).catch(() => undefined);
  return { available: true, stream };
}
