import {
  connect,
  DebugEvents,
  ErrorCode,
  Events,
  NatsError,
  type Msg,
  type NatsConnection,
  type Subscription,
} from 'nats';
import { DomainError, type Clock } from '@bedside/common';
import { OutageLog } from '@bedside/observability';
import {
  decodeMessage,
  decodeReply,
  encodeErrorReply,
  encodeMessage,
  encodeReply,
  isBusMessage,
  type BusMessage,
  type BusMeta,
} from './bus-envelope';
import { BusSubjects, type BusTarget } from './bus-subjects';
import { DEFAULT_BACKOFF, ReconnectBackoff, type BackoffOptions } from './reconnect-backoff';
import { ThrottledLog } from './throttled-log';

export type BusTargetKind = 'partition' | 'node' | 'all';
/** A target one node answers for: requests go only there. */
type PointTarget = Exclude<BusTarget, { all: true }>;
export type BusDropReason = 'disconnected' | 'error';
export type RequestFailure = 'no_responders' | 'timeout' | 'disconnected' | 'error';

/** What the bus counts; ClusterBusMetrics exports them to Prometheus. */
export interface BusCounters {
  published(target: BusTargetKind): void;
  received(target: BusTargetKind): void;
  dropped(target: BusTargetKind, reason: BusDropReason): void;
  undecodable(target: BusTargetKind): void;
  handlerFailed(target: BusTargetKind): void;
  requestFailed(target: BusTargetKind, reason: RequestFailure): void;
  connected(up: boolean): void;
}

/** Where the bus logs; a Nest Logger fits. */
export interface ClusterBusLog {
  log(message: object): void;
  warn(message: object): void;
  error(message: object): void;
}

export interface ClusterBusOptions {
  /** nats://host:port of the NATS server. */
  url: string;
  /** This node's CLUSTER_NODE_ID: the sender of its messages. */
  nodeId: string;
  /** First subject token(s); clusters sharing one NATS server need different prefixes. */
  subjectPrefix?: string;
  backoff?: BackoffOptions;
  /** How long close() lets in-flight messages drain before closing outright. */
  drainTimeoutMs?: number;
  /** NATS handshake timeout per connection attempt. */
  connectTimeoutMs?: number;
  /** Client PING period; a connection is given up after 3 unanswered (a host lost without a reset). */
  pingIntervalMs?: number;
}

export type MessageHandler<M extends BusMessage = BusMessage> = (message: M, meta: BusMeta) => void | Promise<void>;
export type RequestHandler<C extends BusMessage = BusMessage, R extends BusMessage = BusMessage> = (
  command: C,
  meta: BusMeta,
) => R | Promise<R>;

/** One local subscription, kept across connections: NATS resubscribes after a reconnect itself. */
interface LocalSubscription {
  subject: string;
  queue?: string;
  onMessage(msg: Msg): void;
  nats: Subscription | null;
}

// Requests for one partition or node go to one of its servers, not all: a command must run
// once, even in the moment two nodes both serve a partition during a handover.
const SERVE_QUEUE = 'serve';

/**
 * The cluster's node-to-node bus on core NATS (no JetStream: PostgreSQL is the one durable
 * store). Fire-and-forget messages to a partition's owner (the fast path) or to a node
 * (downlinks), and request/reply to either.
 *
 * Publishing never waits for the network and never throws for the network: while disconnected
 * a message is dropped and counted (the NATS client would buffer it and discard the buffer at
 * the next attempt anyway), because everything on the fast path is repaired from PostgreSQL. A
 * request nobody can answer fails at once with PARTITION_UNAVAILABLE (or NODE_UNAVAILABLE):
 * NATS answers "no responders" when nobody subscribes, so only a silent server costs the timeout.
 *
 * The connection is retried forever with exponential backoff, from the first attempt on (the
 * hub starts without NATS and uses it once it is there); the outage is logged once, with
 * reminders, and its end once.
 */
export class ClusterBus {
  readonly subjects: BusSubjects;
  private nc: NatsConnection | null = null;
  private up = false;
  /** close() is draining: handlers still finish and their replies still go out. */
  private draining = false;
  /** Request handlers running now, waited for by close(). */
  private readonly serving = new Set<Promise<void>>();
  private stopped = true;
  /** Raised by every start(): a connect loop left from before a close() gives up. */
  private generation = 0;
  private wake: (() => void) | null = null;
  private readonly subscriptions = new Set<LocalSubscription>();
  private readonly backoff: ReconnectBackoff;
  private readonly outage: OutageLog;
  private readonly throttled: ThrottledLog;

  constructor(
    private readonly opts: ClusterBusOptions,
    private readonly clock: Clock,
    private readonly counters: BusCounters,
    private readonly log: ClusterBusLog,
  ) {
    this.subjects = new BusSubjects(opts.subjectPrefix);
    this.subjects.node(opts.nodeId, 'msg'); // a node id that cannot be a subject token fails here, at start
    this.backoff = new ReconnectBackoff(opts.backoff ?? DEFAULT_BACKOFF);
    this.outage = new OutageLog(`NATS ${withoutCredentials(opts.url)}`, log, () => clock.now());
    this.throttled = new ThrottledLog(log, () => clock.now());
  }

  /** Connected to NATS right now (as far as the client has noticed). */
  /** This node's id: the node whose subjects it serves. */
  get nodeId(): string {
    return this.opts.nodeId;
  }

  get connected(): boolean {
    return this.up;
  }

  /** Starts connecting in the background and returns at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connectLoop(++this.generation);
  }

  /**
   * Stops taking messages and requests, lets the requests being handled answer, sends what is
   * buffered and closes; bounded by drainTimeoutMs, then closes outright.
   */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    const nc = this.nc;
    this.nc = null;
    this.setUp(false);
    const subs = [...this.subscriptions].flatMap((s) => (s.nats ? [s.nats] : []));
    for (const s of this.subscriptions) s.nats = null;
    if (!nc) return;
    const drainMs = this.opts.drainTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    this.draining = true;
    const drain = async () => {
      // Unsubscribe and handle what had arrived, wait for the replies, then flush and close.
      await Promise.all(subs.map((s) => s.drain()));
      await Promise.allSettled(this.serving);
      await nc.drain();
    };
    try {
      await Promise.race([
        drain(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no drain within ${drainMs} ms`)), drainMs);
        }),
      ]);
    } catch (err) {
      this.log.warn({ msg: 'NATS drain failed, closing', reason: (err as Error).message });
    } finally {
      clearTimeout(timer);
      this.draining = false;
    }
    if (!nc.isClosed()) await nc.close();
  }

  /**
   * Resolves once the server has processed everything this node sent before, subscriptions
   * included (a PING/PONG round trip): after it, a message published by any node reaches them.
   */
  async flush(): Promise<void> {
    if (!this.nc || !this.up) throw new DomainError('UNAVAILABLE', 'not connected to NATS');
    await this.nc.flush();
  }

  /** Fast path to a partition's owner. True when handed to NATS (not a delivery receipt). */
  publishToPartition(partition: number, message: BusMessage): boolean {
    return this.publish({ partition }, message);
  }

  /** Delivers every message published to `partition` to `handler`, in arrival order. */
  subscribePartition<M extends BusMessage = BusMessage>(partition: number, handler: MessageHandler<M>): () => void {
    return this.subscribe({ partition }, handler);
  }

  /** Asks the owner of `partition`; throws PARTITION_UNAVAILABLE when nobody answers. */
  requestPartition<R extends BusMessage = BusMessage>(
    partition: number,
    command: BusMessage,
    timeoutMs: number,
  ): Promise<R> {
    return this.request({ partition }, command, timeoutMs) as Promise<R>;
  }

  /** Answers requests for `partition`; a DomainError thrown by the handler reaches the requester. */
  servePartition<C extends BusMessage = BusMessage, R extends BusMessage = BusMessage>(
    partition: number,
    handler: RequestHandler<C, R>,
  ): () => void {
    return this.serve({ partition }, handler);
  }

  /** To every node, this one included (cluster-wide notices each node serves to its consoles). */
  publishToAll(message: BusMessage): boolean {
    return this.publish({ all: true }, message);
  }

  /** Every message published to all nodes, this node's own included (`meta.from` tells). */
  subscribeAll<M extends BusMessage = BusMessage>(handler: MessageHandler<M>): () => void {
    return this.subscribe({ all: true }, handler);
  }

  /** To the node holding a device's connection (downlinks, revocations, rule changes). */
  publishToNode(nodeId: string, message: BusMessage): boolean {
    return this.publish({ node: nodeId }, message);
  }

  subscribeNode<M extends BusMessage = BusMessage>(nodeId: string, handler: MessageHandler<M>): () => void {
    return this.subscribe({ node: nodeId }, handler);
  }

  /** Asks node `nodeId`; throws NODE_UNAVAILABLE when it does not answer. */
  requestNode<R extends BusMessage = BusMessage>(nodeId: string, command: BusMessage, timeoutMs: number): Promise<R> {
    return this.request({ node: nodeId }, command, timeoutMs) as Promise<R>;
  }

  serveNode<C extends BusMessage = BusMessage, R extends BusMessage = BusMessage>(
    nodeId: string,
    handler: RequestHandler<C, R>,
  ): () => void {
    return this.serve({ node: nodeId }, handler);
  }

  private publish(target: BusTarget, message: BusMessage): boolean {
    const kind = kindOf(target);
    const subject = this.subjects.of(target, 'msg');
    const nc = this.nc;
    if (!nc || !this.up) {
      this.counters.dropped(kind, 'disconnected');
      return false;
    }
    try {
      nc.publish(subject, encodeMessage(message, this.meta()));
    } catch (err) {
      // Closed or draining connection, a payload over the server's max_payload, an unencodable value.
      this.counters.dropped(kind, 'error');
      this.throttled.warn('NATS publish failed', { subject, reason: (err as Error).message });
      return false;
    }
    this.counters.published(kind);
    return true;
  }

  private subscribe<M extends BusMessage>(target: BusTarget, handler: MessageHandler<M>): () => void {
    const kind = kindOf(target);
    return this.add({
      subject: this.subjects.of(target, 'msg'),
      nats: null,
      onMessage: (m) => {
        this.counters.received(kind);
        const decoded = decodeMessage(m.string());
        if (!decoded.ok) {
          this.counters.undecodable(kind);
          this.throttled.warn('undecodable NATS message', { subject: m.subject, reason: decoded.reason });
          return;
        }
        const { msg, meta } = decoded.value;
        const failed = (err: unknown) => {
          this.counters.handlerFailed(kind);
          this.throttled.warn('NATS message handler failed', {
            subject: m.subject,
            kind: msg.kind,
            err: describe(err),
          });
        };
        // Called in arrival order and not awaited: the handler queues what must be serialised.
        try {
          void Promise.resolve(handler(msg as M, meta)).catch(failed);
        } catch (err) {
          failed(err);
        }
      },
    });
  }

  private serve<C extends BusMessage, R extends BusMessage>(target: PointTarget, handler: RequestHandler<C, R>) {
    const kind = kindOf(target);
    return this.add({
      subject: this.subjects.of(target, 'req'),
      queue: SERVE_QUEUE,
      nats: null,
      onMessage: (m) => {
        this.counters.received(kind);
        const decoded = decodeMessage(m.string());
        if (!decoded.ok) {
          this.counters.undecodable(kind);
          this.throttled.warn('undecodable NATS request', { subject: m.subject, reason: decoded.reason });
          // Answer at once rather than leave the requester to its timeout.
          this.respond(m, kind, encodeErrorReply(new DomainError('VALIDATION_FAILED', decoded.reason)));
          return;
        }
        const { msg, meta } = decoded.value;
        const answer = (async () => {
          let reply: string;
          try {
            const result = await handler(msg as C, meta);
            if (!isBusMessage(result)) throw new TypeError('the request handler returned no message kind');
            reply = encodeReply(result);
          } catch (err) {
            if (!(err instanceof DomainError)) {
              this.counters.handlerFailed(kind);
              this.throttled.warn('NATS request handler failed', {
                subject: m.subject,
                kind: msg.kind,
                err: describe(err),
              });
            }
            reply = encodeErrorReply(err);
          }
          this.respond(m, kind, reply);
        })();
        this.serving.add(answer);
        void answer.finally(() => this.serving.delete(answer));
      },
    });
  }

  private respond(m: Msg, kind: BusTargetKind, text: string): void {
    if (!m.reply) return;
    try {
      // A reply sent while disconnected is lost; the requester's timeout covers it.
      if (!(this.up || this.draining) || !m.respond(text)) this.counters.dropped(kind, 'disconnected');
    } catch (err) {
      this.counters.dropped(kind, 'error');
      this.throttled.warn('NATS reply failed', { subject: m.subject, reason: (err as Error).message });
    }
  }

  private async request(target: PointTarget, command: BusMessage, timeoutMs: number): Promise<BusMessage> {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`bad request timeout ${timeoutMs}`);
    const kind = kindOf(target);
    const subject = this.subjects.of(target, 'req');
    const nc = this.nc;
    if (!nc || !this.up) throw this.unavailable(target, 'disconnected');
    let reply: Msg;
    try {
      reply = await nc.request(subject, encodeMessage(command, this.meta()), { timeout: timeoutMs });
    } catch (err) {
      throw this.unavailable(target, requestFailure(err), err);
    }
    const decoded = decodeReply(reply.string());
    if (!decoded.ok) {
      this.counters.undecodable(kind);
      throw new Error(`undecodable reply on ${subject}: ${decoded.reason}`);
    }
    if ('error' in decoded.value) throw decoded.value.error;
    return decoded.value.msg;
  }

  private unavailable(target: PointTarget, reason: RequestFailure, cause?: unknown): DomainError {
    this.counters.requestFailed(kindOf(target), reason);
    const detail = reason === 'error' ? `: ${describe(cause)}` : '';
    return 'partition' in target
      ? new DomainError(
          'PARTITION_UNAVAILABLE',
          `no node answered for partition ${target.partition} (${reason}${detail})`,
          { partition: target.partition, reason },
        )
      : new DomainError('NODE_UNAVAILABLE', `node ${target.node} did not answer (${reason}${detail})`, {
          node: target.node,
          reason,
        });
  }

  private add(sub: LocalSubscription): () => void {
    this.subscriptions.add(sub);
    if (this.nc) this.attach(this.nc, sub);
    return () => {
      if (!this.subscriptions.delete(sub)) return;
      const nats = sub.nats;
      sub.nats = null;
      try {
        nats?.unsubscribe();
      } catch {
        // The connection is closed: nothing is delivered on it any more.
      }
    };
  }

  private attach(nc: NatsConnection, sub: LocalSubscription): void {
    sub.nats = nc.subscribe(sub.subject, {
      queue: sub.queue,
      callback: (err, m) => {
        if (err) {
          this.throttled.warn('NATS subscription error', { subject: sub.subject, reason: err.message });
          return;
        }
        sub.onMessage(m);
      },
    });
  }

  /** Until connected or stopped: NATS's own reconnection takes over once a connection exists. */
  private async connectLoop(generation: number): Promise<void> {
    const current = () => !this.stopped && this.generation === generation;
    while (current()) {
      this.backoff.attempted();
      let nc: NatsConnection;
      try {
        nc = await connect({
          // Several servers (a NATS cluster): a lost one is replaced by the next.
          servers: this.opts.url.split(','),
          name: `bedside-${this.opts.nodeId}`,
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectDelayHandler: () => this.backoff.wait(),
          timeout: this.opts.connectTimeoutMs ?? 5000,
          pingInterval: this.opts.pingIntervalMs ?? 5000,
          maxPingOut: 3,
        });
      } catch (err) {
        this.outage.failure('connect', err);
        await this.sleep(this.backoff.wait());
        continue;
      }
      if (!current()) {
        await nc.close();
        return;
      }
      this.adopt(nc);
      return;
    }
  }

  private adopt(nc: NatsConnection): void {
    this.nc = nc;
    this.backoff.reset();
    for (const sub of this.subscriptions) this.attach(nc, sub);
    this.setUp(true);
    if (this.outage.failing) this.outage.recovered();
    else this.log.log({ msg: 'NATS connected', server: nc.getServer() });
    void this.watch(nc);
    void nc.closed().then((err) => this.closedUnexpectedly(nc, err));
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (this.nc !== nc) return;
      switch (s.type) {
        case Events.Disconnect:
          this.setUp(false);
          this.outage.failure('connection', 'disconnected');
          break;
        case DebugEvents.Reconnecting:
          this.backoff.attempted();
          this.outage.failure('reconnect', 'reconnecting');
          break;
        case Events.Reconnect:
          this.backoff.reset();
          this.setUp(true);
          this.outage.recovered();
          break;
        case Events.LDM:
          this.log.log({ msg: 'NATS server entering lame duck mode', server: s.data });
          break;
        case Events.Error:
          this.throttled.warn('NATS async error', {
            reason: typeof s.data === 'string' ? s.data : JSON.stringify(s.data),
            context: s.permissionContext,
          });
          break;
      }
    }
  }

  /** The client gave up (it retries forever, so an authentication failure): start over. */
  private closedUnexpectedly(nc: NatsConnection, err: void | Error): void {
    if (this.nc !== nc || this.stopped) return;
    this.nc = null;
    this.setUp(false);
    for (const s of this.subscriptions) s.nats = null;
    this.outage.failure('connection', err ?? new Error('connection closed'));
    void this.connectLoop(this.generation);
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.counters.connected(up);
  }

  private meta(): BusMeta {
    return { from: this.opts.nodeId, sentAt: this.clock.now() };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

function kindOf(target: BusTarget): BusTargetKind {
  return 'all' in target ? 'all' : 'partition' in target ? 'partition' : 'node';
}

const FAILURES: Partial<Record<string, RequestFailure>> = {
  [ErrorCode.NoResponders]: 'no_responders',
  [ErrorCode.Timeout]: 'timeout',
  [ErrorCode.Disconnect]: 'disconnected',
  [ErrorCode.ConnectionClosed]: 'disconnected',
  [ErrorCode.ConnectionDraining]: 'disconnected',
};

function requestFailure(err: unknown): RequestFailure {
  return (err instanceof NatsError && FAILURES[err.code]) || 'error';
}

/** host:port of a NATS URL: user and password in it must not reach the logs. */
function withoutCredentials(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'server';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
