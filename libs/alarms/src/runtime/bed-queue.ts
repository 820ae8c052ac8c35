import { PriorityLanes } from './priority-lanes';

/** Other beds' jobs running at once (PriorityLanes): below PostgreSQL's pool size (10). */
const NORMAL_LIMIT = 8;

/** How a priority job's start is reported (the runner's metrics). */
export interface PriorityStart {
  /** ms from run() to the job's start. */
  waitedMs: number;
  /** Beds whose queued jobs it started ahead of. */
  overtook: number;
}

export interface BedQueueOptions {
  now?: () => number;
  normalLimit?: number;
  onPriorityStart?: (s: PriorityStart) => void;
}

/** How a job is queued: its class, and what it waits for besides its bed's earlier jobs. */
export interface RunOptions {
  /** A call for help: it and its bed's earlier jobs go ahead of other beds' work. */
  priority?: boolean;
  /** Started only once this settles (a partition still recovering), taking no place among running jobs meanwhile. */
  after?: Promise<unknown>;
}

interface Job {
  run: () => Promise<unknown>;
  priority: boolean;
  after?: Promise<unknown>;
  queuedAt: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** Called once the job has ended, after its caller was answered. */
  done: () => void;
}

interface Lane {
  /** Queued jobs from `head` on: a flooding bed can queue thousands, and shift() would copy them all each time. */
  jobs: Job[];
  head: number;
  running: boolean;
  /** Priority jobs among `jobs`: while any is queued, the bed's jobs run in the priority class. */
  urgent: number;
  /** Settles when the last job queued so far has finished (either way). */
  last: Promise<void>;
}

/**
 * Serialises work per bed while beds run concurrently, and lets a call for help go first: a
 * priority job (an SOS, a fall) starts ahead of other beds' queued work (PriorityLanes), never
 * ahead of its own bed's earlier jobs, which are promoted with it so per-bed order holds. Every
 * job first waits for the gate, so nothing runs before boot recovery has replayed what was missed.
 */
export class BedQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly classes: PriorityLanes;
  private readonly now: () => number;
  private readonly onPriorityStart?: (s: PriorityStart) => void;
  private gate: Promise<void> = Promise.resolve();
  private gateOpen = true;

  constructor(o: BedQueueOptions = {}) {
    this.classes = new PriorityLanes(o.normalLimit ?? NORMAL_LIMIT);
    this.now = o.now ?? Date.now;
    this.onPriorityStart = o.onPriorityStart;
  }

  /** Jobs wait for `gate` (e.g. boot recovery) before running. */
  hold(gate: Promise<void>): void {
    this.gate = gate;
    this.gateOpen = false;
    const open = () => {
      if (this.gate !== gate) return;
      this.gateOpen = true;
      this.dispatch();
    };
    void gate.then(open, open);
  }

  /**
   * True when a job for this bed could start right now: the gate is open and nothing of the bed
   * is queued or running. Work done synchronously at such a moment is serialised as if it had
   * been queued, without a promise round trip.
   */
  isIdle(bedId: string): boolean {
    return this.gateOpen && !this.lanes.has(bedId);
  }

  /** Queues `job` after the bed's earlier jobs (see RunOptions). */
  run<T>(bedId: string, job: () => Promise<T>, o: RunOptions = {}): Promise<T> {
    const priority = o.priority ?? false;
    return new Promise<T>((resolve, reject) => {
      let done!: () => void;
      const ended = new Promise<void>((r) => (done = r));
      const entry: Job = {
        run: job,
        priority,
        after: o.after,
        queuedAt: this.now(),
        resolve: resolve as (v: unknown) => void,
        reject,
        done,
      };
      let lane = this.lanes.get(bedId);
      const fresh = !lane;
      lane ??= { jobs: [], head: 0, running: false, urgent: 0, last: Promise.resolve() };
      // A waiting bed already in the other class moves up; a running or gated one is classed when it is ready.
      if (!fresh && priority && lane.urgent === 0 && !lane.running) this.classes.promote(bedId);
      lane.jobs.push(entry);
      if (priority) lane.urgent++;
      if (fresh) {
        this.lanes.set(bedId, lane);
        this.readyWhenFree(bedId, lane);
      }
      // A bed's jobs end in order: its last job's end is the end of everything queued before it.
      lane.last = ended;
      this.dispatch();
    });
  }

  /** Resolves when the jobs queued so far for these beds have finished. */
  async settled(bedIds: Iterable<string>): Promise<void> {
    const tails: Promise<void>[] = [];
    for (const id of bedIds) {
      const lane = this.lanes.get(id);
      if (lane) tails.push(lane.last);
    }
    await Promise.all(tails);
  }

  /** Resolves when every queued job has finished. */
  async idle(): Promise<void> {
    while (this.lanes.size) await Promise.all([...this.lanes.values()].map((l) => l.last));
  }

  /** Jobs queued and not started, every bed (a gauge). */
  get queued(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.jobs.length - lane.head;
    return n;
  }

  private dispatch(): void {
    if (!this.gateOpen) return;
    for (let next = this.classes.next(); next; next = this.classes.next()) this.start(next.bedId, next.priority);
  }

  private start(bedId: string, priority: boolean): void {
    const lane = this.lanes.get(bedId)!;
    const job = lane.jobs[lane.head++];
    if (lane.head === lane.jobs.length) [lane.jobs, lane.head] = [[], 0];
    else if (lane.head >= 1024 && lane.head * 2 >= lane.jobs.length)
      [lane.jobs, lane.head] = [lane.jobs.slice(lane.head), 0];
    lane.running = true;
    if (job.priority) {
      lane.urgent--;
      this.onPriorityStart?.({ waitedMs: this.now() - job.queuedAt, overtook: this.classes.normalWaiting });
    }
    // In a microtask, as a promise chain would: the caller of run() finishes first.
    void Promise.resolve()
      .then(job.run)
      .then(job.resolve, job.reject)
      .finally(() => this.finish(bedId, lane, job, priority));
  }

  private finish(bedId: string, lane: Lane, job: Job, priority: boolean): void {
    job.done();
    lane.running = false;
    this.classes.finished(priority);
    if (lane.jobs.length > lane.head) this.readyWhenFree(bedId, lane);
    else this.lanes.delete(bedId);
    this.dispatch();
  }

  /** The bed's next job is ready: at once, or once what it waits for (`after`) has settled. */
  private readyWhenFree(bedId: string, lane: Lane): void {
    const next = lane.jobs[lane.head];
    const after = next.after;
    if (!after) return this.classes.ready(bedId, lane.urgent > 0);
    next.after = undefined;
    const ready = () => {
      this.classes.ready(bedId, lane.urgent > 0);
      this.dispatch();
    };
    void after.then(ready, ready);
  }
}
