import type { AlarmStreamEvent } from '../model/alarm-record';
import { AlarmLogTailer, type AlarmLogSource } from './alarm-log-tailer';

/** The tailer over an in-memory log whose reads the spec releases one at a time. */
class ManualLog implements AlarmLogSource {
  readonly rows: AlarmStreamEvent[] = [];
  readonly reads: { after: number; release: () => void; fail: (e: Error) => void }[] = [];
  append(...ids: number[]): void {
    for (const id of ids)
      this.rows.push({ id, type: 'alarm.raised', at: new Date(0).toISOString() } as unknown as AlarmStreamEvent);
  }
  lastEventId(): Promise<number> {
    return Promise.resolve(this.rows.at(-1)?.id ?? 0);
  }
  /** What the log held when the read was issued (a query's snapshot). */
  eventsAfter(after: number, limit: number): Promise<AlarmStreamEvent[]> {
    const snapshot = this.rows.filter((r) => r.id > after).slice(0, limit);
    return new Promise((resolve, reject) => this.reads.push({ after, release: () => resolve(snapshot), fail: reject }));
  }
}
const tick = () => new Promise((r) => setImmediate(r));

describe('AlarmLogTailer', () => {
  let log: ManualLog;
  let delivered: number[][];
  let tailer: AlarmLogTailer;
  const warnings: string[] = [];
  beforeEach(async () => {
    log = new ManualLog();
    log.append(1, 2);
    delivered = [];
    tailer = new AlarmLogTailer(
      log,
      (e) => delivered.push(e.map((x) => x.id)),
      { pollMs: 3_600_000, pageSize: 2 },
      (m) => warnings.push(m),
    );
    await tailer.start();
  });
  afterEach(() => tailer.stop());

  it('starts after the current end of the log and delivers only what follows, page by page, in order', async () => {
    expect(tailer.position).toBe(2);
    log.append(3, 4, 5);
    const done = tailer.wake();
    await tick();
    log.reads[0].release();
    await tick();
    expect(log.reads.map((r) => r.after)).toEqual([2, 4]); // a full page: read on
    log.reads[1].release();
    await done;
    expect(delivered).toEqual([[3, 4], [5]]);
    expect(tailer.position).toBe(5);
  });

  it('reads once at a time: wake-ups during a read make exactly one more read after it', async () => {
    log.append(3);
    const first = tailer.wake();
    await tick();
    log.append(4);
    void tailer.wake();
    void tailer.wake();
    expect(log.reads).toHaveLength(1);
    log.reads[0].release();
    await tick();
    expect(log.reads.map((r) => r.after)).toEqual([2, 3]);
    log.reads[1].release();
    await first;
    expect(delivered).toEqual([[3], [4]]);
  });

  it('keeps its position when a read fails, so the next wake-up delivers what it missed', async () => {
    log.append(3);
    const failed = tailer.wake();
    await tick();
    log.reads[0].fail(new Error('connection reset'));
    await failed;
    expect(delivered).toEqual([]);
    expect(tailer.position).toBe(2);
    expect(warnings).toContain('alarm log read failed; retried at the next poll');
    const retried = tailer.wake();
    await tick();
    expect(log.reads[1].after).toBe(2);
    log.reads[1].release();
    await retried;
    expect(delivered).toEqual([[3]]);
  });
});
